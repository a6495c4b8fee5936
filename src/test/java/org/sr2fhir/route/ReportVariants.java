package org.sr2fhir.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.hl7.fhir.r5.model.Bundle;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.fhir.MappingSettings;
import org.sr2fhir.fhir.ReportMapper;
import org.sr2fhir.tid1500.MeasurementReport;
import org.sr2fhir.tid1500.ReportReader;

/**
 * Any number of distinct reports for delivery tests and benchmarks (issue 15), derived from the DICOM JSON corpus
 * ({@code ../shared/corpus/json}): each variant is a corpus report with a new SOP Instance UID and Series Instance
 * UID, the Study Instance UID of its study, and the Patient ID, name and accession number of its study's patient, so
 * every variant is a new DiagnosticReport with its own Observations, and the variants of one study share its
 * ImagingStudy and Patient. The UIDs are derived from {@code run} and the indexes: the same call gives the same bytes;
 * another {@code run} gives reports no server holds yet.
 * <p>
 * Report {@code i} belongs to study {@code i % studies}; study {@code s} belongs to patient {@code s % patients} and is
 * a copy of template {@code s % templates().size()}. File names sort in the order of the reports within a study
 * ({@code <run>-s<study>-r<report>.json}).
 */
public final class ReportVariants {
    /** The corpus folder of DICOM JSON reports the variants are derived from. */
    public static final Path TEMPLATES = Path.of(System.getProperty("sr2fhir.shared.dir", "../shared"), "corpus", "json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STUDY_UID = "0020000D";
    private static final String SERIES_UID = "0020000E";
    private static final String SOP_INSTANCE_UID = "00080018";
    private static final String PATIENT_ID = "00100020";
    private static final String PATIENT_NAME = "00100010";
    private static final String ACCESSION = "00080050";

    /**
     * One derived report.
     *
     * @param name      its file name, {@code <run>-s<study>-r<report>.json}
     * @param content   its DICOM JSON
     * @param study     the index of its study, {@code 0 <= study < studies}
     * @param studyUid  its Study Instance UID
     * @param srUid     its SOP Instance UID
     * @param patientId its Patient ID
     */
    public record Variant(String name, byte[] content, int study, String studyUid, String srUid, String patientId) {

        /** Writes it as {@code folder/name}; returns the file. */
        public Path writeTo(Path folder) throws IOException {
            return Files.write(folder.resolve(name), content);
        }

        /** The transaction Bundle sr2fhir sends for it, mapped with {@code settings}. */
        public Bundle bundle(MappingSettings settings) throws InputRejectedException {
            return new ReportMapper(settings).convert(read());
        }

        /** It read as the route reads it. */
        public MeasurementReport read() throws InputRejectedException {
            return new ReportReader().read(content, name);
        }
    }

    private ReportVariants() {
    }

    /**
     * {@code count} reports of {@code studies} studies of {@code patients} patients (see the class comment), in the
     * order of their indexes.
     */
    public static List<Variant> derive(String run, int count, int studies, int patients) throws IOException {
        if (count < 0 || studies < 1 || patients < 1 || patients > studies) {
            throw new IllegalArgumentException("need count >= 0 and 1 <= patients <= studies");
        }
        List<Template> templates = templates();
        List<Variant> variants = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int study = i % studies;
            Template template = templates.get(study % templates.size());
            String patient = run + "-P" + (study % patients);
            String studyUid = uid(run, "study", study);
            String srUid = uid(run, "sr", i);
            ObjectNode dataset = template.dataset().deepCopy();
            // the template's UIDs wherever they occur (evidence sequences name the study too), then the patient's
            replace(dataset, Map.of(template.studyUid(), studyUid, template.seriesUid(), uid(run, "series", i),
                    template.srUid(), srUid));
            dataset.set(PATIENT_ID, element("LO", TextNode.valueOf(patient)));
            dataset.set(PATIENT_NAME, element("PN", JSON.createObjectNode().put("Alphabetic", "Variant^" + patient)));
            // SH: at most 16 characters
            dataset.set(ACCESSION, element("SH", TextNode.valueOf(String.format("A%08x%05d", run.hashCode(), study))));
            String name = String.format("%s-s%03d-r%05d.json", run, study, i);
            variants.add(new Variant(name, JSON.writeValueAsBytes(dataset), study, studyUid, srUid, patient));
        }
        return variants;
    }

    /** The corpus JSON reports the product converts, one per SR SOP Instance UID, in file-name order. */
    public static List<Path> templateFiles() throws IOException {
        return templates().stream().map(Template::file).toList();
    }

    private record Template(Path file, ObjectNode dataset, String studyUid, String seriesUid, String srUid) {
    }

    private static List<Template> templates() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(TEMPLATES)) {
            files = listing.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        ReportReader reader = new ReportReader();
        ReportMapper mapper = new ReportMapper(ExpectedResources.CREATE_MISSING);
        Set<String> uids = new HashSet<>();
        List<Template> templates = new ArrayList<>();
        for (Path file : files) {
            byte[] content = Files.readAllBytes(file);
            try {
                MeasurementReport report = reader.read(content, file.getFileName().toString());
                mapper.convert(report);
                ObjectNode dataset = (ObjectNode) JSON.readTree(content);
                String srUid = value(dataset, SOP_INSTANCE_UID);
                String studyUid = value(dataset, STUDY_UID);
                String seriesUid = value(dataset, SERIES_UID);
                if (srUid != null && studyUid != null && seriesUid != null && uids.add(srUid)) {
                    templates.add(new Template(file, dataset, studyUid, seriesUid, srUid));
                }
            } catch (InputRejectedException notAReport) {
                // not a report the product converts: no template
            }
        }
        if (templates.isEmpty()) {
            throw new IllegalStateException("no convertible DICOM JSON report in " + TEMPLATES.toAbsolutePath());
        }
        return templates;
    }

    /** A UID under 2.25 (UUID-derived, ISO/IEC 9834-8) unique to run, kind and index. */
    static String uid(String run, String kind, int index) {
        UUID uuid = UUID.nameUUIDFromBytes((run + "/" + kind + "/" + index).getBytes(StandardCharsets.UTF_8));
        byte[] bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array();
        BigInteger value = new BigInteger(1, bytes);
        return "2.25." + value;
    }

    private static String value(JsonNode dataset, String tag) {
        JsonNode value = dataset.path(tag).path("Value").path(0);
        return value.isTextual() ? value.asText() : null;
    }

    private static ObjectNode element(String vr, JsonNode value) {
        ObjectNode element = JSON.createObjectNode().put("vr", vr);
        ArrayNode values = element.putArray("Value");
        values.add(value);
        return element;
    }

    /** Every text value equal to a key, anywhere in the tree, becomes the key's value. */
    private static void replace(JsonNode node, Map<String, String> replacements) {
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode item = array.get(i);
                if (item.isTextual() && replacements.containsKey(item.asText())) {
                    array.set(i, TextNode.valueOf(replacements.get(item.asText())));
                } else {
                    replace(item, replacements);
                }
            }
        } else if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isTextual() && replacements.containsKey(field.getValue().asText())) {
                    field.setValue(TextNode.valueOf(replacements.get(field.getValue().asText())));
                } else {
                    replace(field.getValue(), replacements);
                }
            }
        }
    }
}
