package org.sr2fhir.fhir;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r5.model.BodyStructure;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.DiagnosticReport;
import org.hl7.fhir.r5.model.ImagingSelection;
import org.hl7.fhir.r5.model.ImagingStudy;
import org.hl7.fhir.r5.model.Observation;
import org.hl7.fhir.r5.model.Reference;
import org.junit.jupiter.api.Test;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.tid1500.MeasurementReport;
import org.sr2fhir.tid1500.ProducerFixtures;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 10 class 5, decision D26: a report whose Patient ID is empty (fixture empty-patient-id) is linked to the
 * Patient of its study, or refused saying why; with sr2fhir.linking.missing-patient-id=reject it is refused.
 */
class MissingPatientIdTest {
    private static final String STUDY = "2.25.10006";

    private final List<String> asked = new ArrayList<>();

    private StudySubjects answering(StudySubjects.Answer answer) {
        return study -> {
            asked.add(study);
            return answer;
        };
    }

    private static MeasurementReport fixture() throws InputRejectedException {
        return ProducerFixtures.read("empty-patient-id");
    }

    private static InputRejectedException refusal(ThrowingCall call) {
        try {
            call.run();
        } catch (InputRejectedException e) {
            return e;
        }
        throw new AssertionError("not refused");
    }

    private static String reason(ThrowingCall call) {
        return refusal(call).reason();
    }

    private static String retryHint(ThrowingCall call) {
        return refusal(call).retryHint();
    }

    interface ThrowingCall {
        void run() throws InputRejectedException;
    }

    @Test
    void rejectPolicyRefuses() throws Exception {
        MeasurementReport report = fixture();
        ReportMapper mapper = new ReportMapper(MappingSettings.defaults()
                .withMissingPatientId(MappingSettings.MissingPatientId.REJECT), answering(new StudySubjects.Found("Patient/1")));
        assertThat(reason(() -> mapper.convert(report)))
                .isEqualTo("no Patient ID (0010,0020), cannot link the subject (sr2fhir.linking.missing-patient-id is reject)");
        assertThat(asked).isEmpty();
    }

    @Test
    void fromStudyWithoutAServerRefusesSayingSo() throws Exception {
        MeasurementReport report = fixture();
        assertThat(reason(() -> new ReportMapper(MappingSettings.defaults()).convert(report)))
                .isEqualTo("no Patient ID (0010,0020), and no FHIR server to ask for the Patient of study " + STUDY
                        + " (sr2fhir.linking.missing-patient-id from-study needs one; the convert command asks only "
                        + "when --sr2fhir.fhir.url is given)");
    }

    @Test
    void fromStudyLinksEveryResourceToThePatientOfTheStudy() throws Exception {
        Bundle bundle = new ReportMapper(MappingSettings.defaults(), answering(new StudySubjects.Found("Patient/p-7")))
                .convert(fixture());
        assertThat(asked).containsExactly(STUDY);
        List<Reference> subjects = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.getResource() instanceof Observation o) {
                subjects.add(o.getSubject());
            } else if (entry.getResource() instanceof BodyStructure b) {
                subjects.add(b.getPatient());
            } else if (entry.getResource() instanceof ImagingSelection s) {
                subjects.add(s.getSubject());
            } else if (entry.getResource() instanceof DiagnosticReport r) {
                subjects.add(r.getSubject());
            }
        }
        assertThat(subjects).hasSize(5).allSatisfy(subject -> {
            assertThat(subject.getReference()).isEqualTo("Patient/p-7");
            assertThat(subject.hasIdentifier()).isFalse();
        });
        assertThat(FhirContext.forR5Cached().newJsonParser().encodeResourceToString(bundle)).doesNotContain("Patient?");
    }

    @Test
    void withCreateMissingNoPatientIsCreatedAndTheStudyNamesThePatientOfTheServer() throws Exception {
        MappingSettings d = MappingSettings.defaults();
        MappingSettings createMissing = new MappingSettings(d.defaultTimezone(), true, d.ids(), d.issuerSystems(),
                d.defaultPatientSystem(), d.defaultAccessionSystem(), d.codingSchemes(), d.diagnosticReport(), 0);
        Bundle bundle = new ReportMapper(createMissing, answering(new StudySubjects.Found("Patient/p-7")))
                .convert(fixture());
        assertThat(bundle.getEntry()).extracting(e -> e.getResource().fhirType()).doesNotContain("Patient");
        ImagingStudy study = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(ImagingStudy.class::isInstance).map(ImagingStudy.class::cast).findFirst().orElseThrow();
        assertThat(study.getSubject().getReference()).isEqualTo("Patient/p-7");
    }

    @Test
    void aStudyTheServerDoesNotHoldIsRefusedAsRetryable() throws Exception {
        MeasurementReport report = fixture();
        ReportMapper mapper = new ReportMapper(MappingSettings.defaults(), answering(new StudySubjects.NoStudy()));
        assertThat(reason(() -> mapper.convert(report))).isEqualTo("no Patient ID (0010,0020), and the FHIR server has "
                + "no ImagingStudy with Study Instance UID " + STUDY + " to take the Patient from "
                + "(sr2fhir.linking.missing-patient-id is from-study)");
        assertThat(retryHint(() -> mapper.convert(report)))
                .isEqualTo("the ImagingStudy may reach the FHIR server later; move this file back to the inbox once it has");
    }

    @Test
    void aStudyWithoutAPatientIsRefusedAsRetryableAndSeveralPatientsAreRefusedForGood() throws Exception {
        MeasurementReport report = fixture();
        ReportMapper group = new ReportMapper(MappingSettings.defaults(),
                answering(new StudySubjects.NoPatient("Group/g-1")));
        assertThat(reason(() -> group.convert(report))).isEqualTo("no Patient ID (0010,0020), and the FHIR server's "
                + "ImagingStudy with Study Instance UID " + STUDY + " names Group/g-1, not a Patient");
        assertThat(retryHint(() -> group.convert(report))).isNotNull();
        ReportMapper ambiguous = new ReportMapper(MappingSettings.defaults(),
                answering(new StudySubjects.Ambiguous(List.of("Patient/a", "Patient/b"))));
        assertThat(reason(() -> ambiguous.convert(report))).isEqualTo("no Patient ID (0010,0020), and the FHIR "
                + "server's ImagingStudies with Study Instance UID " + STUDY + " name different subjects: Patient/a, "
                + "Patient/b");
        assertThat(retryHint(() -> ambiguous.convert(report))).isNull();
    }

    @Test
    void aReportWithAPatientIdNeverAsks() throws Exception {
        new ReportMapper(MappingSettings.defaults(), answering(new StudySubjects.NoStudy()))
                .convert(ProducerFixtures.read("template-tid1500"));
        assertThat(asked).isEmpty();
    }
}
