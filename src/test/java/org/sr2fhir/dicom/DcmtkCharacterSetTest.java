package org.sr2fhir.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.sr2fhir.Prerequisites;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Non-ASCII corpus files decode like dcmtk does: dcm2json converts the text to UTF-8 itself (its own iconv-based
 * decoding), and every Code Meaning, Text Value and Person Name must come out the same. Skipped when dcmtk is not
 * installed.
 */
class DcmtkCharacterSetTest {
    private static final List<String> TEXT_KEYS = List.of("00080104", "0040A160", "0040A123", "00100010");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ext_orthanc-tests_MarekLatin2.dcm", "gen_dcmtk-tid1500_ct_individual_latin1.dcm",
        "gen_dcmtk-tid1500_ct_individual_latin1__utf8.dcm", "gen_dcmjs-cs3d_multiseries_multiframe_utf8.dcm"})
    void decodesLikeDcmtk(String name) throws Exception {
        Path file = Corpus.ROOT.resolve("sr").resolve(name);
        JsonNode dcmtk = dcm2json(file);

        List<String> expected = new ArrayList<>();
        collectDcmtk(dcmtk, expected);
        List<String> actual = new ArrayList<>();
        collect(Corpus.read(file), actual);

        assertThat(expected).anyMatch(text -> text.chars().anyMatch(c -> c > 0x7F));
        assertThat(actual).isEqualTo(expected);
    }

    private static JsonNode dcm2json(Path file) throws IOException, InterruptedException {
        Path tool = Prerequisites.executable("dcmtk", Path.of("/usr/bin/dcm2json"), Path.of("/usr/local/bin/dcm2json"));
        Process process = new ProcessBuilder(tool.toString(), file.toString()).redirectErrorStream(false).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("dcm2json exit code").isZero();
        return new ObjectMapper().readTree(output);
    }

    /** Values of the text elements, in document order (dcm2json writes tags in ascending order, as we hold them). */
    private static void collectDcmtk(JsonNode dataset, List<String> out) {
        dataset.fields().forEachRemaining(field -> {
            JsonNode values = field.getValue().path("Value");
            if (TEXT_KEYS.contains(field.getKey())) {
                values.forEach(v -> out.add(v.isObject() ? personName(v) : v.asText()));
            } else if ("SQ".equals(field.getValue().path("vr").asText())) {
                values.forEach(item -> collectDcmtk(item, out));
            }
        });
    }

    private static String personName(JsonNode name) {
        return new PersonName(name.path("Alphabetic").asText(""), name.path("Ideographic").asText(""),
                name.path("Phonetic").asText("")).toDicomString();
    }

    private static void collect(DicomDataset dataset, List<String> out) {
        for (DicomElement element : dataset.elements()) {
            if (TEXT_KEYS.contains(String.format("%08X", element.tag()))) {
                out.addAll(element.strings());
            } else if (element.vr() == VR.SQ) {
                element.items().forEach(item -> collect(item, out));
            }
        }
    }
}
