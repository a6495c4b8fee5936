package org.sr2fhir.fhir;

import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.ImagingSelection;
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
 * Every file of the corpus: a TID 1500 report converts, with at least one Observation (decision D23); lacking a Patient
 * ID, it is refused for exactly that without a FHIR server, and converts with the Patient of its study (D26); anything
 * else is rejected with a sentence that says what it is instead (D1).
 */
class CorpusConversionTest {
    /** Decision D26's look-up, answered as a server holding every study would. */
    static final StudySubjects EVERY_STUDY_KNOWN = study -> new StudySubjects.Found("Patient/from-study");
    private final ReportMapper mapper = new ReportMapper(MappingSettings.defaults(), EVERY_STUDY_KNOWN);

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
        boolean noPatientId = report.document().header().patient() == null
                || report.document().header().patient().patientId() == null;
        if (noPatientId) {
            assertThatThrownBy(() -> new ReportMapper(MappingSettings.defaults()).convert(report))
                    .isInstanceOf(InputRejectedException.class)
                    .extracting(e -> ((InputRejectedException) e).reason()).asString()
                    .startsWith("no Patient ID (0010,0020), and no FHIR server to ask for the Patient of study "
                            + report.document().header().studyInstanceUid());
        }
        Bundle bundle = mapper.convert(report);
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        // D23: no report is delivered without an Observation
        assertThat(bundle.getEntry()).anyMatch(e -> e.getResource() instanceof Observation);
        if (noPatientId) {
            assertThat(bundle.getEntry()).noneMatch(e -> e.getResource().fhirType().equals("Patient"));
            bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(Observation.class::isInstance)
                    .forEach(o -> assertThat(((Observation) o).getSubject().getReference()).isEqualTo("Patient/from-study"));
        }
        long groups = bundle.getEntry().stream().filter(e -> e.getResource() instanceof Observation o
                && o.getMeta().hasProfile(Profiles.MEASUREMENT_GROUP)).count();
        assertThat(groups).isEqualTo(report.measurementGroups().size());
        // decision D22: every resource of an IG profile family claims it (the DiagnosticReport, a person observer's
        // Organization and PractitionerRole (D32) and the "Source" image selections (D28) have none; a NUM without a
        // value cannot conform, D13)
        bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(r -> !List.of("DiagnosticReport", "Organization", "PractitionerRole").contains(r.fhirType()))
                .filter(r -> !(r instanceof ImagingSelection s && s.getCode().getCodingFirstRep().getCode().equals("260753009")))
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
                d.diagnosticReport(), 8), EVERY_STUDY_KNOWN);
        ReportContext context = splitting.context(report);
        List<GroupResources> mapped = report.measurementGroups().stream().map(g -> splitting.mapGroup(context, g)).toList();
        List<Bundle> parts = splitting.assembleParts(context, mapped);
        assertThat(parts.stream().flatMap(p -> p.getEntry().stream()).map(e -> e.getRequest().getUrl()))
                .containsExactlyElementsOf(bundle.getEntry().stream().map(e -> e.getRequest().getUrl()).toList());
        // every reference inside the Bundle resolves to an entry, or is a conditional reference (D3), or the Patient
        // that the server's ImagingStudy names (D26)
        java.util.Set<String> fullUrls = new java.util.HashSet<>();
        bundle.getEntry().forEach(e -> fullUrls.add(e.getFullUrl()));
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            for (org.hl7.fhir.r5.model.Reference reference : ca.uhn.fhir.context.FhirContext.forR5Cached().newTerser()
                    .getAllPopulatedChildElementsOfType(entry.getResource(), org.hl7.fhir.r5.model.Reference.class)) {
                if (reference.hasReference()) {
                    assertThat(fullUrls.contains(reference.getReference()) || reference.getReference().contains("?")
                            || noPatientId && reference.getReference().equals("Patient/from-study"))
                            .as(reference.getReference()).isTrue();
                }
            }
        }
    }
}
