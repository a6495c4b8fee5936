package org.sr2fhir.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every corpus input (sr/, sr/nonconformant/, aux/, json/, json/nonconformant/) reads into a plausible dataset, with
 * a warning exactly where the corpus holds a known producer slip.
 */
class DicomReaderCorpusTest {
    /** The producer slips MANIFEST.md names, and the warning each must raise; every other file reads cleanly. */
    private static final Map<String, String> KNOWN_SLIPS = Map.of(
            "gen_dcmjs-cs_Angle.dcm", "without Specific Character Set (0008,0005): decoded as UTF-8",
            "gen_dcmjs-cs_CobbAngle.dcm", "without Specific Character Set (0008,0005): decoded as UTF-8",
            "ext_hl7-dicom-sr_Example-MeasurementReport.json", "Value of (0008,0050) at $.00080050 is not an array");

    static Stream<Path> allInputs() {
        return Stream.of(Corpus.part10Reports(), Corpus.files("aux", ".dcm"), Corpus.jsonReports())
                .flatMap(List::stream);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allInputs")
    void readsEveryCorpusFile(Path file) {
        DicomDataset dataset = Corpus.read(file);

        assertThat(dataset.getString(Tag.SOPClassUID)).as("SOP Class UID").matches("[0-9.]+");
        assertThat(dataset.getString(Tag.SOPInstanceUID)).as("SOP Instance UID").matches("[0-9.]+");
        assertThat(dataset.getString(Tag.StudyInstanceUID)).as("Study Instance UID").matches("[0-9.]+");
        String slip = KNOWN_SLIPS.get(Corpus.name(file));
        if (slip == null) {
            assertThat(dataset.warnings()).as("warnings").isEmpty();
        } else {
            assertThat(dataset.warnings()).as("warnings").singleElement().asString().contains(slip);
        }
    }
}
