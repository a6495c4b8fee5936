package org.sr2fhir.fhir;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r5.model.Bundle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sr2fhir.r4.R4Renderer;
import org.sr2fhir.tid1500.ReportCorpus;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Golden files: the whole Bundle of a report, compared as JSON trees with an expected Bundle reviewed by hand
 * (src/test/resources/golden). The IG's example input is the first (ig-digest §6.2); the others exercise
 * image-region-2d (planar SCOORD), image-region-3d (SCOORD3D) and real-world-value-map with a NUM qualifier.
 * Run with -Dsr2fhir.golden.write=true to (re)write the files; that run fails so a review cannot be skipped.
 */
class GoldenBundleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> cases() {
        Path shared = ReportCorpus.SHARED;
        return Stream.of(
                Arguments.of(shared.resolve("ig/dicom/Example-MeasurementReport.json"), "Example-MeasurementReport"),
                Arguments.of(ReportCorpus.ROOT.resolve("sr/gen_pixelmed-tid1500_planar_scoord.dcm"),
                        "gen_pixelmed-tid1500_planar_scoord"),
                Arguments.of(ReportCorpus.ROOT.resolve("sr/gen_pixelmed-tid1500_scoord3d.dcm"),
                        "gen_pixelmed-tid1500_scoord3d"),
                Arguments.of(ReportCorpus.ROOT.resolve("sr/gen_dcmtk-tid1500_pet_volumetric_seg.dcm"),
                        "gen_dcmtk-tid1500_pet_volumetric_seg"));
    }

    /** The IG example's private scheme 99LIDCQIICR is the Cancer Imaging Archive's (configured, decision D12). */
    static MappingSettings settings() {
        MappingSettings d = MappingSettings.defaults();
        return new MappingSettings(d.defaultTimezone(), d.createMissing(), d.ids(), d.issuerSystems(),
                d.defaultPatientSystem(), d.defaultAccessionSystem(),
                Map.of("99LIDCQIICR", "http://cancerimagingarchive.net"), d.diagnosticReport(), 0);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("cases")
    void bundleEqualsTheReviewedGoldenFile(Path input, String name) throws Exception {
        Bundle bundle = new ReportMapper(settings()).convert(ReportCorpus.read(input));
        String json = FhirContext.forR5Cached().newJsonParser().setPrettyPrint(true).encodeResourceToString(bundle);
        assertEqualsGoldenFile(json, name + ".bundle.json");
    }

    /** Issue 11: the same reports rendered in R4 (decisions D35-D40), compared with R4 Bundles reviewed by hand. */
    @ParameterizedTest(name = "{1}")
    @MethodSource("cases")
    void r4BundleEqualsTheReviewedGoldenFile(Path input, String name) throws Exception {
        Bundle bundle = new ReportMapper(settings()).convert(ReportCorpus.read(input));
        String json = FhirContext.forR4Cached().newJsonParser().setPrettyPrint(true)
                .encodeResourceToString(new R4Renderer().render(bundle));
        assertEqualsGoldenFile(json, name + ".r4.bundle.json");
    }

    static void assertEqualsGoldenFile(String json, String fileName) throws Exception {
        String name = fileName;
        String resource = "/golden/" + fileName;
        if (Boolean.getBoolean("sr2fhir.golden.write")) {
            Path target = Path.of("src/test/resources/golden", fileName);
            Files.writeString(target, json + "\n");
            fail("wrote " + target + ": review it by hand, then run without -Dsr2fhir.golden.write");
        }
        JsonNode expected;
        try (InputStream in = GoldenBundleTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            expected = JSON.readTree(in);
        }
        JsonNode actual = JSON.readTree(json);
        // entry by entry first, so a difference names the resource
        for (int i = 0; i < Math.max(expected.path("entry").size(), actual.path("entry").size()); i++) {
            assertThat(actual.path("entry").path(i)).as("entry %d of %s", i, name)
                    .isEqualTo(expected.path("entry").path(i));
        }
        assertThat(actual).isEqualTo(expected);
    }
}
