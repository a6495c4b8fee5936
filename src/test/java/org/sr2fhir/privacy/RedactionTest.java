package org.sr2fhir.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Decision D47: remembered patient values and recognisable patterns never pass; credentials are masked. */
class RedactionTest {

    @BeforeEach
    void plant() {
        Redaction.forgetAll();
        Redaction.remember("Plantedfamily^Plantedgiven", "PHI-67890", "19230231");
    }

    @AfterEach
    void forget() {
        Redaction.forgetAll();
    }

    @Test
    void rememberedValuesAreRedactedInAnyForm() {
        String text = Redaction.redact("name Plantedfamily^Plantedgiven, given Plantedgiven Plantedfamily, id PHI-67890,"
                + " born 19230231 (1923-02-31); HAPI-1821: Invalid date/time format: \"19230231\"");
        assertThat(text).doesNotContainIgnoringCase("planted").doesNotContain("67890").doesNotContain("1923")
                .contains(Redaction.PATIENT_MARK);
    }

    @Test
    void placeholderNamesAreNotRemembered() {
        Redaction.remember("Anonymous^Patient", "PID-1", null);
        assertThat(Redaction.redact("no Patient ID (0010,0020) for PID-1"))
                .isEqualTo("no Patient ID (0010,0020) for " + Redaction.PATIENT_MARK);
    }

    @Test
    void aNameThatIsAlsoAPatternWordHidesNothing() {
        Redaction.remember("Patient^Anonymized", "OTHER-4", null);
        assertThat(Redaction.redact("Invalid match URL \"Patient?identifier=urn:x|ANOTHER-ID\""))
                .doesNotContain("ANOTHER-ID");
    }

    @Test
    void wholeWordsOnlySoUidsAndLongerNumbersSurvive() {
        Redaction.remember(null, "12", null);
        assertThat(Redaction.redact("SOP Instance UID 1.2.12.3, HTTP 412, id 12")).isEqualTo(
                "SOP Instance UID 1.2.12.3, HTTP 412, id " + Redaction.PATIENT_MARK);
    }

    /**
     * The remembered values are found exactly where the regular expression they replaced (issue 15) found them: an
     * alternation of the values, longest first, between {@code (?<![\p{Alnum}._\-])} and
     * {@code (?![\p{Alnum}._\-])}; random values and texts over an alphabet rich in word edges and separators.
     */
    @Test
    void rememberedValuesAreFoundWhereTheFormerRegularExpressionFoundThem() {
        Redaction.forgetAll();
        Random random = new Random(15);
        String alphabet = "ABab12.-_^ =,:\"/";
        Set<String> values = new LinkedHashSet<>();
        for (int report = 0; report < 40; report++) {
            String name = word(random, "ABab^", 2 + random.nextInt(5));
            String id = word(random, "ABab12.-", 2 + random.nextInt(4));
            Redaction.remember(name, id, null);
            values.add(name);
            values.addAll(List.of(name.split("\\^")));
            values.add(id);
        }
        values.removeIf(v -> v.length() < Redaction.MIN_LENGTH
                || Redaction.PLACEHOLDERS.contains(v.toLowerCase(Locale.ROOT)));
        String alternatives = values.stream().sorted(Comparator.comparingInt(String::length).reversed())
                .map(Pattern::quote).collect(Collectors.joining("|"));
        Pattern former = Pattern.compile("(?<![\\p{Alnum}._\\-])(?:" + alternatives + ")(?![\\p{Alnum}._\\-])");
        List<String> pieces = new ArrayList<>(values);
        for (int i = 0; i < 2000; i++) {
            StringBuilder text = new StringBuilder();
            for (int piece = random.nextInt(12); piece >= 0; piece--) {
                text.append(random.nextBoolean() ? pieces.get(random.nextInt(pieces.size()))
                        : word(random, alphabet, 1 + random.nextInt(3)));
            }
            String expected = former.matcher(text).replaceAll(Redaction.PATIENT_MARK);
            assertThat(Redaction.redact(text.toString())).as(text.toString()).isEqualTo(expected);
        }
    }

    private static String word(Random random, String alphabet, int length) {
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < length; i++) {
            word.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return word.toString();
    }

    @Test
    void conditionalPatientReferencesAndBirthDatesWithoutRememberedValues() {
        Redaction.forgetAll();
        assertThat(Redaction.redact("Invalid match URL \"Patient?identifier=urn:sr2fhir:patient-id|OTHER-1\" - none"))
                .isEqualTo("Invalid match URL \"Patient?identifier=" + Redaction.PATIENT_MARK + "\" - none");
        // inside JSON the closing quote is escaped: the escape stays whole
        assertThat(Redaction.redact("\"diagnostics\": \"Invalid match URL \\\"Patient?identifier=s|OTHER-3\\\" - none\""))
                .isEqualTo("\"diagnostics\": \"Invalid match URL \\\"Patient?identifier=[redacted]\\\" - none\"");
        assertThat(Redaction.redact("GET Patient%3Fidentifier%3Durn%3Aoid%3A1.2%7COTHER-2 HTTP/1.1"))
                .doesNotContain("OTHER-2");
        assertThat(Redaction.redact("{\"resourceType\":\"Patient\",\"birthDate\": \"1950-01-01\"}"))
                .doesNotContain("1950");
    }

    @Test
    void credentialsAreMasked() {
        assertThat(Redaction.redact("http-outgoing-0 >> \"Authorization: Bearer eyJhbGciOi.secret.sig[\\r][\\n]\""))
                .doesNotContain("eyJhbGciOi").contains("Authorization: Bearer " + Redaction.SECRET_MARK);
        assertThat(Redaction.redact("headers {Authorization=Basic dXNlcjpwYXNz, Accept=application/json}"))
                .doesNotContain("dXNlcjpwYXNz");
        assertThat(Redaction.redact("{\"access_token\":\"tok123\",\"expires_in\":300}")).doesNotContain("tok123");
        assertThat(Redaction.redact("grant_type=client_credentials&client_secret=s3cr3t")).doesNotContain("s3cr3t");
    }

    @Test
    void loneSurrogatesAreEscapedSoTheTextEncodes() {
        String escaped = Redaction.redact("value \ud800 and pair \ud83d\ude00");
        assertThat(escaped).isEqualTo("value \\ud800 and pair \ud83d\ude00");
        assertThat(new String(escaped.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(escaped);
    }

    @Test
    void logMessagesAndStackTracesGoThroughTheConverters() {
        LoggerContext context = new LoggerContext();
        LoggingEvent event = new LoggingEvent("test", context.getLogger("test"), Level.DEBUG,
                "refused {} with Authorization: Bearer abc", new IllegalArgumentException("bad date 19230231"),
                new Object[] {"PHI-67890"});
        RedactingMessageConverter message = new RedactingMessageConverter();
        assertThat(message.convert(event)).isEqualTo("refused " + Redaction.PATIENT_MARK
                + " with Authorization: Bearer " + Redaction.SECRET_MARK);
        RedactingThrowableConverter stackTrace = new RedactingThrowableConverter();
        stackTrace.setContext(context);
        stackTrace.start();
        assertThat(stackTrace.convert(event)).contains("bad date " + Redaction.PATIENT_MARK).doesNotContain("1923");
    }
}
