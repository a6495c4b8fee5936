package org.sr2fhir.privacy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decisions D21 and D47: no patient name, ID or birth date leaves sr2fhir in anything it writes (logs, error files,
 * the journal, the DICOMweb checkpoint, the CLI's output), including text from the FHIR server or a library that
 * echoes them (an OperationOutcome naming {@code Patient?identifier=...|ID}, a parser message quoting a birth date).
 * Two layers: the values of the reports read lately ({@link #remember}, called by the reader before anything can
 * fail) are replaced wherever they appear as a whole word, as written, and patterns catch what names a patient without a
 * remembered value (conditional Patient references, {@code birthDate} in FHIR JSON). Credentials are masked the same
 * way (Authorization headers, OAuth2 tokens and secrets), whatever the log level. Lone surrogates are escaped
 * ({@code \ud800}) so the text can always be written as UTF-8.
 * <p>
 * Process-wide, because logs are: the logback converters ({@link RedactingMessageConverter},
 * {@link RedactingThrowableConverter}) have no Spring context. Thread-safe.
 */
public final class Redaction {
    public static final String PATIENT_MARK = "[redacted]";
    public static final String SECRET_MARK = "[masked]";
    /** How many reports' values are kept, the latest read (each attempt reads again): far more than are in flight at once. */
    static final int REMEMBERED_REPORTS = 256;
    /** A remembered value shorter than this would also hit unrelated words. */
    static final int MIN_LENGTH = 2;
    /**
     * Placeholders that anonymizers and test data write instead of a name ("Anonymous^Patient", "Test^Name"); they
     * identify no one, and redacting them would garble sr2fhir's own words ("no Patient ID"). Compared ignoring case.
     */
    static final Set<String> PLACEHOLDERS = Set.of("patient", "anonymous", "anonymized", "anon", "test", "name",
            "unknown", "first", "last", "given", "family", "report", "study", "measurement", "example", "sample",
            "phantom", "demo", "none", "null");

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "(?i)(authorization[\"']?\\s*[:=]\\s*[\"']?(?:(?:bearer|basic|digest|negotiate)\\s+)?)[^\\s\"',\\[\\]}]+");
    private static final Pattern TOKENS = Pattern.compile(
            "(?i)([\"']?(?:access_token|refresh_token|id_token|client_secret|password)[\"']?\\s*[:=]\\s*[\"']?)"
                    + "[^\\s\"'&,}\\]]+");
    private static final Pattern CONDITIONAL_PATIENT = Pattern.compile(
            "(?i)(Patient(?:\\?|%3F)(?:[^\\s\"'<>]*?(?:&|%26))?identifier(?:=|%3D))[^\\s\"'<>&\\\\]+");
    private static final Pattern BIRTH_DATE_JSON = Pattern.compile("(\"birthDate\"\\s*:\\s*\")[^\"]*");
    private static final Pattern LONE_SURROGATE = Pattern.compile(
            "[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]");
    private static final Deque<List<String>> reports = new ArrayDeque<>();
    /**
     * The remembered values by their first character, each list longest first (so "DOE^JOHN" is replaced whole before
     * "DOE"). Looked up at each word start of a text: one pass over it, whatever the number of values (issue 15: a
     * regular expression alternating the values of 256 reports cost an eighth of a report's CPU in the route).
     */
    private static volatile Map<Character, List<String>> known = Map.of();

    private Redaction() {
    }

    /**
     * Remembers one report's patient values; any may be null. {@code personName} is a DICOM PN value (components
     * split by ^ and =); {@code birthDate} a DA value, also remembered as an ISO date (FHIR's form).
     */
    public static void remember(String personName, String patientId, String birthDate) {
        Set<String> values = new LinkedHashSet<>();
        if (personName != null) {
            values.add(personName.trim());
            for (String part : personName.split("[\\^=]")) {
                values.add(part.trim());
                values.addAll(List.of(part.trim().split("\\s+")));
            }
        }
        if (patientId != null) {
            values.add(patientId.trim());
        }
        if (birthDate != null) {
            String date = birthDate.trim();
            values.add(date);
            if (date.matches("\\d{8}")) {
                values.add(date.substring(0, 4) + "-" + date.substring(4, 6) + "-" + date.substring(6));
            }
        }
        values.removeIf(v -> v.length() < MIN_LENGTH || PLACEHOLDERS.contains(v.toLowerCase(java.util.Locale.ROOT)));
        if (values.isEmpty()) {
            return;
        }
        synchronized (reports) {
            reports.addLast(List.copyOf(values));
            while (reports.size() > REMEMBERED_REPORTS) {
                reports.removeFirst();
            }
            Map<Character, List<String>> byFirst = new HashMap<>();
            for (String value : new LinkedHashSet<>(reports.stream().flatMap(List::stream).toList())) {
                byFirst.computeIfAbsent(value.charAt(0), c -> new ArrayList<>()).add(value);
            }
            byFirst.replaceAll((c, ofChar) -> ofChar.stream()
                    .sorted(Comparator.comparingInt(String::length).reversed()).toList());
            known = Map.copyOf(byFirst);
        }
    }

    /** Forgets every remembered value (tests). */
    public static void forgetAll() {
        synchronized (reports) {
            reports.clear();
            known = Map.of();
        }
    }

    /** {@code text} without patient values and credentials, safe to write as UTF-8; null stays null. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        // patterns first: a remembered value that is also a word of the pattern ("Patient" as a name) must not hide
        // what the pattern would catch
        String result = replace(text, CONDITIONAL_PATIENT, m -> m.group(1) + PATIENT_MARK);
        result = replace(result, BIRTH_DATE_JSON, m -> m.group(1) + PATIENT_MARK);
        result = replaceRemembered(result, known);
        result = replace(result, AUTHORIZATION, m -> m.group(1) + SECRET_MARK);
        result = replace(result, TOKENS, m -> m.group(1) + SECRET_MARK);
        return replace(result, LONE_SURROGATE, m -> String.format("\\u%04x", (int) m.group().charAt(0)));
    }

    /**
     * Every remembered value in {@code text} that stands as a whole word (not inside a UID, a longer ID or a number:
     * no letter, digit, '.', '_' or '-' either side), as written (case-sensitive: servers and parsers quote values as
     * written, and a name such as MEASUREMENT or Test must not take ordinary words of sr2fhir's own messages with it),
     * replaced by {@link #PATIENT_MARK}; the longest value that fits wins.
     */
    private static String replaceRemembered(String text, Map<Character, List<String>> values) {
        if (values.isEmpty()) {
            return text;
        }
        StringBuilder result = null;
        int copied = 0;
        for (int i = 0; i < text.length(); i++) {
            List<String> candidates = values.get(text.charAt(i));
            if (candidates == null || (i > 0 && isWordChar(text.charAt(i - 1)))) {
                continue;
            }
            for (String value : candidates) {
                int end = i + value.length();
                if (text.startsWith(value, i) && (end == text.length() || !isWordChar(text.charAt(end)))) {
                    result = result == null ? new StringBuilder(text.length()) : result;
                    result.append(text, copied, i).append(PATIENT_MARK);
                    copied = end;
                    i = end - 1;
                    break;
                }
            }
        }
        return result == null ? text : result.append(text, copied, text.length()).toString();
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                || c == '-';
    }

    private static String replace(String text, Pattern pattern, Function<MatchResult, String> replacement) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.replaceAll(m -> Matcher.quoteReplacement(replacement.apply(m))) : text;
    }
}
