package org.sr2fhir.fhir;

import org.hl7.fhir.r5.model.Bundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.sr.ReferencedSop;
import org.sr2fhir.tid1500.ProducerFixtures;
import org.sr2fhir.tid1500.TestReports;
import org.sr2fhir.tid1500.ReportCorpus;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sr2fhir.sr.RelationshipType.CONTAINS;
import static org.sr2fhir.sr.RelationshipType.HAS_CONCEPT_MOD;

/**
 * Every resource produced from the corpus validates against the IG package with 0 errors; errors caused by the
 * IG's documented defects (D15, D16) are named and counted apart. Slow (validator start-up), hence an IT.
 */
class CorpusValidationIT {
    private static IgValidator validator;

    @BeforeAll
    static void start() {
        validator = IgValidator.shared();
    }

    @Test
    void everyConvertedReportIsValidAgainstTheIg() {
        validateCorpus(MappingSettings.defaults());
    }

    @Test
    void createMissingAndConditionalCreateBundlesAreValidToo() {
        MappingSettings d = MappingSettings.defaults();
        validateCorpus(new MappingSettings(d.defaultTimezone(), true, MappingSettings.IdStrategy.CONDITIONAL_CREATE,
                d.issuerSystems(), d.defaultPatientSystem(), d.defaultAccessionSystem(), d.codingSchemes(),
                d.diagnosticReport(), 0));
    }

    /** D6: the Bundles of a split report validate too (references to earlier parts use Type/id). */
    @Test
    void splitReportsAreValidPartByPart() {
        MappingSettings d = MappingSettings.defaults();
        ReportMapper mapper = new ReportMapper(new MappingSettings(d.defaultTimezone(), d.createMissing(), d.ids(),
                d.issuerSystems(), d.defaultPatientSystem(), d.defaultAccessionSystem(), d.codingSchemes(),
                d.diagnosticReport(), 8), CorpusConversionTest.EVERY_STUDY_KNOWN);
        List<String> errors = new ArrayList<>();
        int parts = 0;
        for (Path file : ReportCorpus.files()) {
            try {
                var report = ReportCorpus.read(file);
                ReportContext context = mapper.context(report);
                for (Bundle part : mapper.assembleParts(context,
                        report.measurementGroups().stream().map(g -> mapper.mapGroup(context, g)).toList())) {
                    parts++;
                    validator.validate(part).errors().forEach(e -> errors.add(ReportCorpus.name(file) + ": " + e));
                }
            } catch (InputRejectedException e) {
                // asserted by CorpusConversionTest
            }
        }
        System.out.printf("validated %d parts: %d errors%n", parts, errors.size());
        errors.stream().limit(50).forEach(e -> System.out.println("  ERROR " + e));
        assertThat(errors).isEmpty();
    }

    /**
     * The corpus has no Region In Space and no derived measurement; a hand-built report with both shows that
     * their only errors are the two documented IG defects, named and counted apart (D15, D16).
     */
    @Test
    void theDocumentedIgDefectsAreTheOnlyErrorsOfRegionInSpaceAndDerivedMeasurements() throws Exception {
        var root = TestReports.measurementReport(TestReports.group(TestReports.volume("1"),
                TestReports.composite(CONTAINS, TestReports.c("DCM", "130488", "Region In Space"),
                        ReferencedSop.of("1.2.840.10008.5.1.4.1.1.481.3", "2.25.31"))
                        .with(TestReports.text(HAS_CONCEPT_MOD, TestReports.c("DCM", "130489", "Content ROI Identification"),
                                "ROI-7")))).with(
                TestReports.container(CONTAINS, TestReports.c("DCM", "126011", "Derived Imaging Measurements"), null)
                        .with(TestReports.num(TestReports.c("DCM", "126031", "Peak Value Within ROI"), "123.45",
                                TestReports.c("UCUM", "[hnsf'U]", "Hounsfield unit")).with(
                                TestReports.group(TestReports.volume("2")))));
        Bundle bundle = new ReportMapper(MappingSettings.defaults()).convert(TestReports.report(root));
        IgValidator.Report report = validator.validate(bundle);
        report.errors().forEach(e -> System.out.println("  ERROR " + e));
        assertThat(report.errors()).isEmpty();
        assertThat(report.knownDefects()).extracting(IgValidator.Issue::defect).containsOnly(
                IgValidator.KnownDefect.D15_REGION_IN_SPACE_SOP_CLASS, IgValidator.KnownDefect.D16_DERIVED_MEASUREMENT_SLICING)
                .contains(IgValidator.KnownDefect.D15_REGION_IN_SPACE_SOP_CLASS,
                        IgValidator.KnownDefect.D16_DERIVED_MEASUREMENT_SLICING);
        System.out.println("known IG defects of the hand-built report: " + report.knownDefects());
    }

    /**
     * Issue 10: the Bundles of the producers' fixtures (several finding sites, regions under evaluations, source
     * images, observer context, time point, the study's Patient ...) validate with 0 errors too.
     */
    @Test
    void producerFixturesAreValidAgainstTheIg() throws Exception {
        ReportMapper mapper = new ReportMapper(MappingSettings.defaults(), CorpusConversionTest.EVERY_STUDY_KNOWN);
        List<String> errors = new ArrayList<>();
        int bundles = 0;
        for (String name : ProducerFixtures.NAMES) {
            Bundle bundle;
            try {
                bundle = mapper.convert(ProducerFixtures.read(name));
            } catch (InputRejectedException e) {
                continue; // nothing-to-map, asserted by ProducerFixturesTest
            }
            bundles++;
            IgValidator.Report report = validator.validate(bundle);
            report.errors().forEach(e -> errors.add(name + ": " + e));
            assertThat(report.knownDefects()).as(name).isEmpty();
        }
        errors.forEach(e -> System.out.println("  ERROR " + e));
        assertThat(bundles).isEqualTo(ProducerFixtures.NAMES.size() - 1);
        assertThat(errors).isEmpty();

        // the validator knows sr2fhir's own extensions (D18, D33): a wrong value type is an error, not a shrug
        Bundle wrong = mapper.convert(ProducerFixtures.read("observer-context"));
        wrong.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(r -> r instanceof org.hl7.fhir.r5.model.Observation o && o.hasValueQuantity()).findFirst()
                .map(r -> ((org.hl7.fhir.r5.model.Observation) r).getValueQuantity()).orElseThrow()
                .addExtension(CodingSchemes.DICOM_UNIT_CODE, new org.hl7.fhir.r5.model.IntegerType(1));
        assertThat(validator.validate(wrong).errors()).isNotEmpty()
                .allSatisfy(e -> assertThat(e.location()).contains("extension"));
    }

    /** D19 (amended): a reference with several segment numbers is one valid referenced-segment selection. */
    @Test
    void severalSegmentNumbersOnOneReferenceValidate() throws Exception {
        var root = TestReports.measurementReport(TestReports.group(TestReports.volume("1"),
                TestReports.image(CONTAINS, TestReports.c("DCM", "121191", "Referenced Segment"),
                        new ReferencedSop("1.2.840.10008.5.1.4.1.1.66.4", "2.25.5", null, List.of(1, 2, 3), null))));
        IgValidator.Report report = validator.validate(
                new ReportMapper(MappingSettings.defaults()).convert(TestReports.report(root)));
        report.errors().forEach(e -> System.out.println("  ERROR " + e));
        assertThat(report.errors()).isEmpty();
        assertThat(report.knownDefects()).isEmpty();
    }

    private static void validateCorpus(MappingSettings settings) {
        // the reports without a Patient ID as linked to their study's Patient (D26)
        ReportMapper mapper = new ReportMapper(settings, CorpusConversionTest.EVERY_STUDY_KNOWN);
        List<String> errors = new ArrayList<>();
        Map<IgValidator.KnownDefect, Integer> defects = new EnumMap<>(IgValidator.KnownDefect.class);
        Map<String, Integer> warnings = new TreeMap<>();
        int bundles = 0;
        int resources = 0;
        for (Path file : ReportCorpus.files()) {
            Bundle bundle;
            try {
                bundle = mapper.convert(ReportCorpus.read(file));
            } catch (InputRejectedException e) {
                continue; // rejections are asserted by CorpusConversionTest
            }
            bundles++;
            resources += bundle.getEntry().size();
            IgValidator.Report report = validator.validate(bundle);
            report.errors().forEach(e -> errors.add(ReportCorpus.name(file) + ": " + e));
            report.knownDefects().forEach(e -> defects.merge(e.defect(), 1, Integer::sum));
            report.warnings().forEach(w -> warnings.merge(w.message().replaceAll("'[^']*'", "'…'"), 1, Integer::sum));
        }
        System.out.printf("validated %d bundles, %d resources: %d errors, known IG defects %s%n", bundles, resources,
                errors.size(), defects);
        warnings.forEach((w, n) -> System.out.println("  warning x" + n + ": " + w));
        errors.stream().limit(200).forEach(e -> System.out.println("  ERROR " + e));
        assertThat(bundles).isGreaterThanOrEqualTo(100);
        assertThat(errors).isEmpty();
    }
}
