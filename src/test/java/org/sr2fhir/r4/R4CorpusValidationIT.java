package org.sr2fhir.r4;

import ca.uhn.fhir.context.FhirVersionEnum;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.fhir.StudySubjects;
import org.sr2fhir.fhir.IgValidator;
import org.sr2fhir.fhir.MappingSettings;
import org.sr2fhir.fhir.ReportContext;
import org.sr2fhir.fhir.ReportMapper;
import org.sr2fhir.tid1500.MeasurementReport;
import org.sr2fhir.tid1500.ProducerFixtures;
import org.sr2fhir.tid1500.ReportCorpus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11's proof: every corpus report and producer fixture, rendered in R4, validates with 0 errors against R4 core
 * plus HL7's cross-version subset package (decision D41), also with create-missing + conditional-create and split
 * into parts. Slow (validator start-up), hence an IT.
 */
class R4CorpusValidationIT {
    /** The reports without a Patient ID as linked to their study's Patient (D26), as in CorpusValidationIT. */
    static final StudySubjects EVERY_STUDY_KNOWN = study -> new StudySubjects.Found("Patient/from-study");
    private static IgValidator validator;
    private final R4Renderer renderer = new R4Renderer();

    @BeforeAll
    static void start() {
        validator = IgValidator.shared(FhirVersionEnum.R4);
    }

    @Test
    void everyConvertedReportIsValidInR4() {
        validate("default", MappingSettings.defaults());
    }

    @Test
    void createMissingConditionalCreateAndSplitBundlesAreValidInR4() {
        MappingSettings d = MappingSettings.defaults();
        validate("create-missing, conditional-create, split at 8", new MappingSettings(d.defaultTimezone(), true,
                MappingSettings.IdStrategy.CONDITIONAL_CREATE, d.issuerSystems(), d.defaultPatientSystem(),
                d.defaultAccessionSystem(), d.codingSchemes(), d.diagnosticReport(), 8));
    }

    @Test
    void theValidatorKnowsTheXverExtensions() throws Exception {
        // a wrong value type in an xver extension is an error, not a shrug: the package is really loaded
        Bundle bundle = renderer.render(new ReportMapper(MappingSettings.defaults(), EVERY_STUDY_KNOWN)
                .convert(ProducerFixtures.read("source-images")));
        org.hl7.fhir.r4.model.Basic basic = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(R4Renderer::isSelectionCarrier).map(org.hl7.fhir.r4.model.Basic.class::cast).findFirst().orElseThrow();
        basic.addExtension(Xver.extension("ImagingSelection.seriesNumber"), new org.hl7.fhir.r4.model.StringType("ten"));
        assertThat(validator.validate(bundle).errors()).isNotEmpty();
    }

    private void validate(String label, MappingSettings settings) {
        ReportMapper mapper = new ReportMapper(settings, EVERY_STUDY_KNOWN);
        List<String> errors = new ArrayList<>();
        Map<String, Integer> warnings = new TreeMap<>();
        int reports = 0;
        int parts = 0;
        int resources = 0;
        for (Map.Entry<String, MeasurementReport> input : ReportCorpus.readableWithFixtures().entrySet()) {
            ReportContext context;
            try {
                context = mapper.context(input.getValue());
            } catch (InputRejectedException e) {
                continue;
            }
            reports++;
            var groups = input.getValue().measurementGroups().stream().map(g -> mapper.mapGroup(context, g)).toList();
            for (Bundle part : renderer.render(mapper.assembleParts(context, groups))) {
                parts++;
                resources += part.getEntry().size();
                IgValidator.Report report = validator.validate(part);
                report.errors().forEach(e -> errors.add(input.getKey() + ": " + e));
                report.warnings().forEach(w -> warnings.merge(w.message().replaceAll("'[^']*'", "'…'"), 1, Integer::sum));
            }
        }
        System.out.printf("R4 %s: validated %d reports, %d bundles, %d resources: %d errors%n", label, reports, parts,
                resources, errors.size());
        warnings.forEach((w, n) -> System.out.println("  warning x" + n + ": " + w));
        errors.stream().limit(100).forEach(e -> System.out.println("  ERROR " + e));
        assertThat(reports).isGreaterThanOrEqualTo(100);
        assertThat(errors).isEmpty();
    }
}
