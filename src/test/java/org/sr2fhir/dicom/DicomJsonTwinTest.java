package org.sr2fhir.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every DICOM JSON file with a same-named Part 10 file reads into the same dataset. Files with no same-named
 * Part 10 file are the JSON as published, which MANIFEST.md says is not identical (ext_dcmjs_test_sample-sr__fetched,
 * ext_hl7-dicom-sr_Example-MeasurementReport and its __valuelistfix): they are only read (DicomReaderCorpusTest).
 * The two dcmjs files with an undeclared UTF-8 '°' have JSON twins made by pydicom, which decoded those bytes as
 * ISO 8859-1 ("Â°"): {@link #pydicomJsonOfUndeclaredUtf8DiffersOnlyInTheDegreeSign} pins that single difference.
 */
class DicomJsonTwinTest {

    private static final List<String> UNDECLARED_UTF8 = List.of("gen_dcmjs-cs_Angle.json", "gen_dcmjs-cs_CobbAngle.json");

    static Stream<Path> jsonWithPart10Twin() {
        return Corpus.jsonReports().stream().filter(json -> part10Twin(json).isPresent());
    }

    static Stream<Path> identicalTwins() {
        return jsonWithPart10Twin().filter(json -> !UNDECLARED_UTF8.contains(Corpus.name(json)));
    }

    static Optional<Path> part10Twin(Path json) {
        String name = Corpus.name(json).replaceFirst("\\.json$", ".dcm");
        return Stream.of("sr", "sr/nonconformant").map(folder -> Corpus.ROOT.resolve(folder).resolve(name))
                .filter(Files::isRegularFile).findFirst();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identicalTwins")
    void part10AndJsonTwinAreEqual(Path json) {
        DicomDataset fromJson = Corpus.read(json);
        DicomDataset fromPart10 = Corpus.read(part10Twin(json).orElseThrow());

        assertThat(DatasetDiff.of(fromPart10, fromJson)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("undeclaredUtf8")
    void pydicomJsonOfUndeclaredUtf8DiffersOnlyInTheDegreeSign(Path json) {
        DicomDataset fromJson = Corpus.read(json);
        DicomDataset fromPart10 = Corpus.read(part10Twin(json).orElseThrow());

        assertThat(DatasetDiff.of(fromPart10, fromJson)).singleElement().asString()
                .endsWith("(0008,0104) LO [\u00b0] vs [\u00c2\u00b0]");
        assertThat(fromPart10.warnings()).anyMatch(w -> w.contains("decoded as UTF-8"));
    }

    static Stream<Path> undeclaredUtf8() {
        return UNDECLARED_UTF8.stream().map(name -> Corpus.ROOT.resolve("json/nonconformant").resolve(name));
    }

    @Test
    void everyPart10ReportHasAJsonTwin() {
        assertThat(jsonWithPart10Twin().count()).isEqualTo(Corpus.part10Reports().size());
    }
}
