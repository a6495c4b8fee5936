package org.sr2fhir.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every corpus input (sr/, sr/nonconformant/, aux/, json/, json/nonconformant/) reads into a plausible dataset. */
class DicomReaderCorpusTest {

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
    }
}
