package org.sr2fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.DecimalType;
import org.junit.jupiter.api.Test;
import org.sr2fhir.conversion.ConversionReport;
import org.sr2fhir.dicom.Mutations;
import org.sr2fhir.fhir.MappingSettings;
import org.sr2fhir.fhir.ReportMapper;
import org.sr2fhir.fhir.StudySubjects;
import org.sr2fhir.tid1500.MeasurementReport;
import org.sr2fhir.tid1500.ReportCorpus;
import org.sr2fhir.tid1500.ReportReader;
import org.sr2fhir.tid1500.UnsentValue;

/**
 * Issue 14: mutated corpus files through the whole conversion (reader → SR model → TID 1500 → FHIR Bundle →
 * JSON and conversion report, the path of the CLI and of the route before validation) must each end converted or
 * rejected with a reason ({@link InputRejectedException}): never another exception or Error, never a hang.
 * Byte-level corruptions (flips, truncations, length fields, spliced bytes, JSON tokens) and structural ones on
 * DICOM JSON (wrong VRs and value types, missing codes, NUM without concept name, IMAGE without Referenced SOP
 * Sequence, empty Person Observer Name, impossible dates, overflowing numbers, deep nesting). Fixed seed; the count
 * is {@code -Dsr2fhir.fuzz.inputs=N} (default {@value #DEFAULT_INPUTS}) for a long run by hand.
 */
class HostileInputFuzzTest {
    private static final int DEFAULT_INPUTS = 400;
    private static final long SEED = Long.getLong("sr2fhir.fuzz.seed", 20261205L);
    private static final long PER_INPUT_SECONDS = 20;
    /** {@code -Dsr2fhir.fuzz.only=1811,7773}: convert only these inputs of the run (to reproduce them). */
    private static final Set<Integer> ONLY = Arrays.stream(System.getProperty("sr2fhir.fuzz.only", "").split(","))
            .filter(index -> !index.isBlank()).map(index -> Integer.valueOf(index.trim())).collect(Collectors.toSet());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RAW = "@@raw:";
    private static final String LONE_SURROGATE = "@@surrogate@@";

    private final ReportReader reader = new ReportReader();
    private final ReportMapper mapper = new ReportMapper(MappingSettings.defaults(),
            study -> new StudySubjects.Found("Patient/from-study"));

    enum Outcome { CONVERTED, REJECTED, FAILED, HUNG }

    @Test
    void everyMutatedInputIsConvertedOrRejectedWithAReason() throws Exception {
        int count = Integer.getInteger("sr2fhir.fuzz.inputs", DEFAULT_INPUTS);
        List<Path> part10 = ReportCorpus.files().stream().filter(p -> p.toString().endsWith(".dcm")).toList();
        List<Path> json = ReportCorpus.files().stream().filter(p -> p.toString().endsWith(".json")).toList();
        Random random = new Random(SEED);
        Map<Outcome, Integer> counts = new LinkedHashMap<>();
        Arrays.stream(Outcome.values()).forEach(o -> counts.put(o, 0));
        List<String> problems = new ArrayList<>();
        ExecutorService executor = newExecutor();
        try {
            for (int i = 0; i < count; i++) {
                boolean structural = i % 2 == 0;
                Path file = structural || random.nextBoolean() ? pick(json, random) : pick(part10, random);
                byte[] original = ReportCorpus.bytes(file);
                String label = "input " + i + " from " + ReportCorpus.name(file);
                byte[] mutated;
                if (structural) {
                    String kind = STRUCTURAL[random.nextInt(STRUCTURAL.length)];
                    label += " (" + kind + ")";
                    mutated = mutateStructure(original, kind, random);
                } else {
                    int kind = random.nextInt(6);
                    label += " (bytes " + kind + ")";
                    mutated = mutateBytes(original, file.toString().endsWith(".dcm"), kind, random);
                }
                if (!ONLY.isEmpty() && !ONLY.contains(i)) {
                    continue; // reproducing a few inputs of a long run: the mutations before them are still drawn
                }
                String source = "fuzz-" + i + (file.toString().endsWith(".dcm") ? ".dcm" : ".json");
                Future<Outcome> result = executor.submit(() -> convert(mutated, source));
                Outcome outcome;
                try {
                    outcome = result.get(PER_INPUT_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    result.cancel(true);
                    executor.shutdownNow();
                    executor = newExecutor();
                    outcome = Outcome.HUNG;
                    problems.add(label + ": no outcome within " + PER_INPUT_SECONDS + " s");
                } catch (java.util.concurrent.ExecutionException e) {
                    outcome = Outcome.FAILED;
                    problems.add(label + ": " + stackTrace(e.getCause()));
                }
                counts.merge(outcome, 1, Integer::sum);
            }
        } finally {
            executor.shutdownNow();
        }
        System.out.println("fuzz seed=" + SEED + " inputs=" + count + " " + counts);
        assertThat(problems).as("inputs that failed or hung " + counts).isEmpty();
        if (ONLY.isEmpty()) {
            assertThat(counts.get(Outcome.CONVERTED)).as("some mutations keep the report convertible").isPositive();
            assertThat(counts.get(Outcome.REJECTED)).as("some mutations are refused").isPositive();
        }
    }

    /** The CLI's steps for one input; an exception other than a rejection propagates (a failure). */
    private Outcome convert(byte[] input, String source) {
        MeasurementReport report = null;
        try {
            report = reader.read(input, source);
            Bundle bundle = mapper.convert(report);
            FhirContext.forR5Cached().newJsonParser().encodeResourceToString(bundle);
            // decision D45: no decimal a FHIR server cannot hold is ever sent
            FhirContext.forR5Cached().newTerser().getAllPopulatedChildElementsOfType(bundle, DecimalType.class)
                    .forEach(decimal -> assertThat(Math.abs((long) decimal.getValue().precision()
                            - decimal.getValue().scale() - 1)).as(source + " " + decimal.getValue())
                            .isLessThanOrEqualTo(UnsentValue.MAX_EXPONENT));
            ConversionReport.converted(report, List.of(bundle)).toJson();
            return Outcome.CONVERTED;
        } catch (InputRejectedException rejected) {
            assertThat(rejected.reason()).as(source).isNotBlank();
            assertThat(rejected.getMessage()).as(source).startsWith(source);
            ConversionReport.rejected(report, rejected).toJson();
            return Outcome.REJECTED;
        }
    }

    private static ExecutorService newExecutor() {
        return Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "fuzz");
            thread.setDaemon(true);
            return thread;
        });
    }

    private static byte[] mutateBytes(byte[] original, boolean part10, int kind, Random random) {
        return switch (kind) {
            case 0 -> Arrays.copyOf(original, random.nextInt(original.length));
            case 1 -> Mutations.flipBytes(original, random, 1 + random.nextInt(8));
            case 2 -> part10 ? Mutations.replaceLength(original, Mutations.explicitLengthFields(original), random,
                    random.nextBoolean() ? 0xFFFFFFFF : 1 + random.nextInt(original.length))
                    : Mutations.replaceJsonToken(original, random);
            case 3 -> part10 ? Mutations.replaceShortLength(original, Mutations.explicitLengthFields(original), random)
                    : Mutations.replaceJsonToken(original, random);
            case 4 -> part10 ? wrongExplicitVr(original, random) : Mutations.replaceJsonToken(original, random);
            default -> Mutations.spliceRandomBytes(original, random);
        };
    }

    /** Replaces the VR letters of one explicit-VR element header with another VR's. */
    private static byte[] wrongExplicitVr(byte[] original, Random random) {
        List<Integer> fields = Mutations.explicitLengthFields(original);
        if (fields.isEmpty()) {
            return Mutations.flipBytes(original, random, 2);
        }
        int length = fields.get(random.nextInt(fields.size()));
        int vrAt = length > 0 ? length - 4 : -length - 2;
        byte[] copy = original.clone();
        String vr = VRS[random.nextInt(VRS.length)];
        copy[vrAt] = (byte) vr.charAt(0);
        copy[vrAt + 1] = (byte) vr.charAt(1);
        return copy;
    }

    private static final String[] VRS = {"SQ", "PN", "DS", "FD", "FL", "UI", "OB", "UN", "SH", "US", "AT", "XX"};

    private static final String[] STRUCTURAL = {"no Code Value", "no Coding Scheme Designator", "empty Code Value",
        "NUM without concept name", "IMAGE without Referenced SOP Sequence", "empty Person Observer Name",
        "impossible birth date", "wrong VR", "wrong value type", "overflowing number", "deep nesting",
        "bad date or time", "missing required element", "bad graphic data", "no title"};

    private static byte[] mutateStructure(byte[] original, String kind, Random random) {
        JsonNode root;
        try {
            root = JSON.readTree(original);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("corpus JSON unreadable", e);
        }
        if (!(root instanceof ObjectNode top)) {
            return original;
        }
        List<ObjectNode> datasets = new ArrayList<>();
        collectDatasets(top, datasets);
        switch (kind) {
            case "no Code Value" -> removeIn(datasets, "00080100", random);
            case "no Coding Scheme Designator" -> removeIn(datasets, "00080102", random);
            case "empty Code Value" -> withElement(datasets, "00080100", random,
                    e -> e.set("Value", array(random.nextBoolean() ? "" : null)));
            case "NUM without concept name" -> pick(filter(datasets, valueType("NUM"), random), random)
                    .remove("0040A043");
            case "IMAGE without Referenced SOP Sequence" -> pick(filter(datasets, valueType("IMAGE"), random), random)
                    .remove("00081199");
            case "empty Person Observer Name" -> withElement(datasets, "0040A123", random, e -> {
                if (random.nextBoolean()) {
                    e.remove("Value");
                } else {
                    e.set("Value", JSON.createArrayNode().add(JSON.createObjectNode().put("Alphabetic", "")));
                }
            });
            case "impossible birth date" -> top.set("00100030", element("DA",
                    array(new String[] {"19230231", "00000000", "2024", "99991399", "1923-02-31"}[random.nextInt(5)])));
            case "wrong VR" -> randomElement(datasets, random).put("vr", VRS[random.nextInt(VRS.length)]);
            case "wrong value type" -> randomElement(datasets, random).set("Value", wrongType(random));
            case "overflowing number" -> overflowNumber(datasets, random);
            case "deep nesting" -> nest(top, 40 + random.nextInt(200));
            case "bad date or time" -> withElement(datasets, new String[] {"00080020", "00080030", "0040A121",
                "0040A122", "0040A120", "00080023", "00080033"}[random.nextInt(7)], random,
                    e -> e.set("Value", array(new String[] {"20241345", "2561", "abc", "", "99999999999999",
                        "20240101250000", "-0001"}[random.nextInt(7)])));
            case "missing required element" -> pick(datasets, random).remove(new String[] {"0040A040", "0040A010",
                "00080018", "0020000D", "00080016", "0040A730", "0040A168"}[random.nextInt(7)]);
            case "bad graphic data" -> withElement(datasets, "00700022", random, e -> e.set("Value",
                    new ArrayNode[] {array(), numbers(1), numbers(3), array("NaN", "1")}[random.nextInt(4)]));
            default -> top.remove("0040A043");
        }
        // raw numbers Jackson would not write as they are; a lone surrogate as JSON writes it (\ud800)
        return top.toString().replaceAll("\"" + RAW + "([^\"]*)\"", "$1").replace(LONE_SURROGATE, "\\ud800")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A DS/FD/FL value no FHIR decimal or server should carry (decision D45). */
    private static void overflowNumber(List<ObjectNode> datasets, Random random) {
        String[] values = {"1E999999999", "1e999999", "NaN", "Infinity", "-Inf", "1E-999999", "1" + "0".repeat(400),
            "0." + "0".repeat(300) + "1", "1e999", "-0"};
        String value = values[random.nextInt(values.length)];
        boolean raw = random.nextBoolean();
        withElement(datasets, random.nextBoolean() ? "0040A30A" : "00700022", random,
                e -> e.set("Value", array(raw && !value.matches(".*[a-zA-Z]{2}.*") ? RAW + value : value)));
    }

    private static void nest(ObjectNode top, int depth) {
        ObjectNode innermost = JSON.createObjectNode();
        innermost.set("0040A040", element("CS", array("CONTAINER")));
        innermost.set("0040A010", element("CS", array("CONTAINS")));
        ObjectNode current = innermost;
        for (int level = 0; level < depth; level++) {
            ObjectNode parent = JSON.createObjectNode();
            parent.set("0040A040", element("CS", array("CONTAINER")));
            parent.set("0040A010", element("CS", array("CONTAINS")));
            parent.set("0040A730", element("SQ", JSON.createArrayNode().add(current)));
            current = parent;
        }
        JsonNode content = top.path("0040A730").path("Value");
        if (content instanceof ArrayNode items) {
            items.add(current);
        } else {
            top.set("0040A730", element("SQ", JSON.createArrayNode().add(current)));
        }
    }

    private static JsonNode wrongType(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> JsonNodeFactory.instance.textNode("text");
            case 1 -> JsonNodeFactory.instance.numberNode(5);
            case 2 -> JSON.createObjectNode();
            case 3 -> JSON.createArrayNode().add(JSON.createArrayNode().add(1));
            case 4 -> JSON.createArrayNode().add(JsonNodeFactory.instance.nullNode());
            case 5 -> JSON.createArrayNode().add(true);
            case 6 -> JSON.createArrayNode().add(JSON.createObjectNode().put("x", 1));
            default -> JSON.createArrayNode().add("lone " + LONE_SURROGATE);
        };
    }

    private static void collectDatasets(ObjectNode dataset, List<ObjectNode> out) {
        out.add(dataset);
        dataset.forEach(element -> {
            if (element.path("Value") instanceof ArrayNode values) {
                values.forEach(v -> {
                    if (v instanceof ObjectNode item && !item.has("Alphabetic") && !item.has("Ideographic")
                            && !item.has("Phonetic")) {
                        collectDatasets(item, out);
                    }
                });
            }
        });
    }

    private static Predicate<ObjectNode> valueType(String type) {
        return d -> type.equals(d.path("0040A040").path("Value").path(0).asText());
    }

    private static List<ObjectNode> filter(List<ObjectNode> datasets, Predicate<ObjectNode> which, Random random) {
        List<ObjectNode> found = datasets.stream().filter(which).toList();
        return found.isEmpty() ? datasets : found;
    }

    private static void removeIn(List<ObjectNode> datasets, String tag, Random random) {
        pick(filter(datasets, d -> d.has(tag), random), random).remove(tag);
    }

    private static void withElement(List<ObjectNode> datasets, String tag, Random random,
                                    java.util.function.Consumer<ObjectNode> change) {
        ObjectNode dataset = pick(filter(datasets, d -> d.get(tag) instanceof ObjectNode, random), random);
        if (!(dataset.get(tag) instanceof ObjectNode)) {
            dataset.set(tag, element("DS", array()));
        }
        change.accept((ObjectNode) dataset.get(tag));
    }

    private static ObjectNode randomElement(List<ObjectNode> datasets, Random random) {
        ObjectNode dataset = pick(filter(datasets, d -> d.size() > 0, random), random);
        List<String> tags = new ArrayList<>();
        Iterator<String> names = dataset.fieldNames();
        names.forEachRemaining(tags::add);
        if (tags.isEmpty()) {
            dataset.set("0040A160", element("UT", array("x")));
            tags.add("0040A160");
        }
        JsonNode element = dataset.get(pick(tags, random));
        return element instanceof ObjectNode object ? object : dataset;
    }

    private static ObjectNode element(String vr, ArrayNode values) {
        ObjectNode element = JSON.createObjectNode().put("vr", vr);
        element.set("Value", values);
        return element;
    }

    private static ArrayNode array(String... values) {
        ArrayNode array = JSON.createArrayNode();
        for (String value : values) {
            if (value == null) {
                array.addNull();
            } else {
                array.add(value);
            }
        }
        return array;
    }

    private static ArrayNode numbers(int count) {
        ArrayNode array = JSON.createArrayNode();
        for (int i = 0; i < count; i++) {
            array.add(i + 0.5);
        }
        return array;
    }

    private static <T> T pick(List<T> items, Random random) {
        return items.get(random.nextInt(items.size()));
    }

    private static String stackTrace(Throwable throwable) {
        StringWriter text = new StringWriter();
        throwable.printStackTrace(new PrintWriter(text));
        String[] lines = text.toString().split("\n");
        return String.join("\n", Arrays.copyOf(lines, Math.min(lines.length, 12)));
    }
}
