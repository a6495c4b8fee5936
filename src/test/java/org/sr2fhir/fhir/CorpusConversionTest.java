package org.sr2fhir.fhir;

import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Observation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.tid1500.MeasurementReport;
import org.sr2fhir.tid1500.ReportCorpus;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every file of the corpus: a TID 1500 report converts (or, lacking a Patient ID, is rejected for exactly that,
 * decision D3); anything else is rejected with a sentence that says what it is instead (D1).
 */
class CorpusConversionTest {
    private final ReportMapper mapper = new ReportMapper(MappingSettings.defaults());

    static Stream<Path> files() {
        return ReportCorpus.files().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void convertsOrRejectsClearly(Path file) throws Exception {
        if (!ReportCorpus.isTid1500(file)) {
            assertThatThrownBy(() -> ReportCorpus.read(file)).isInstanceOf(InputRejectedException.class)
                    .extracting(e -> ((InputRejectedException) e).reason()).asString()
                    .matches("(Basic Text SR|Key Object Selection document|Enhanced SR titled .*|Comprehensive SR titled .*)"
                            + ", not a TID 1500 measurement report");
            return;
        }
        MeasurementReport report = ReportCorpus.read(file);
        if (report.document().header().patient() == null || report.document().header().patient().patientId() == null) {
            assertThatThrownBy(() -> mapper.convert(report)).isInstanceOf(InputRejectedException.class)
                    .extracting(e -> ((InputRejectedException) e).reason())
                    .isEqualTo("no Patient ID (0010,0020), cannot link the subject");
            return;
        }
        Bundle bundle = mapper.convert(report);
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        long groups = bundle.getEntry().stream().filter(e -> e.getResource() instanceof Observation o
                && o.getMeta().hasProfile(Profiles.MEASUREMENT_GROUP)).count();
        assertThat(groups).isEqualTo(report.measurementGroups().size());
        // decision D22: every resource of an IG profile family claims it (the DiagnosticReport has none; a NUM
        // without a value cannot conform, D13)
        bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(r -> !r.fhirType().equals("DiagnosticReport"))
                .filter(r -> !(r instanceof Observation o && o.hasDataAbsentReason()))
                .forEach(r -> assertThat(r.getMeta().getProfile()).as(r.getId()).hasSize(1));
        // ig-digest §5 step 10: every Observation has subject, partOf (ImagingStudy), issued, device and status
        bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(Observation.class::isInstance)
                .map(Observation.class::cast).forEach(o -> {
                    assertThat(o.getSubject().getReference()).isNotBlank();
                    assertThat(o.getPartOf()).hasSize(1);
                    assertThat(o.hasIssued()).isTrue();
                    assertThat(o.getDevice().getReference()).isNotBlank();
                    assertThat(o.hasStatus()).isTrue();
                });
        // D6: split into parts of at most 8 entries (a group never split), the parts hold exactly the whole Bundle
        MappingSettings d = MappingSettings.defaults();
        ReportMapper splitting = new ReportMapper(new MappingSettings(d.defaultTimezone(), d.createMissing(), d.ids(),
                d.issuerSystems(), d.defaultPatientSystem(), d.defaultAccessionSystem(), d.codingSchemes(),
                d.diagnosticReport(), 8));
        ReportContext context = splitting.context(report);
        List<GroupResources> mapped = report.measurementGroups().stream().map(g -> splitting.mapGroup(context, g)).toList();
        List<Bundle> parts = splitting.assembleParts(context, mapped);
        assertThat(parts.stream().flatMap(p -> p.getEntry().stream()).map(e -> e.getRequest().getUrl()))
                .containsExactlyElementsOf(bundle.getEntry().stream().map(e -> e.getRequest().getUrl()).toList());
        // every reference inside the Bundle resolves to an entry, or is a conditional reference (D3)
        java.util.Set<String> fullUrls = new java.util.HashSet<>();
        bundle.getEntry().forEach(e -> fullUrls.add(e.getFullUrl()));
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            for (org.hl7.fhir.r5.model.Reference reference : ca.uhn.fhir.context.FhirContext.forR5Cached().newTerser()
                    .getAllPopulatedChildElementsOfType(entry.getResource(), org.hl7.fhir.r5.model.Reference.class)) {
                if (reference.hasReference()) {
                    assertThat(fullUrls.contains(reference.getReference()) || reference.getReference().contains("?"))
                            .as(reference.getReference()).isTrue();
                }
            }
        }
    }
}
