package org.sr2fhir.fhirclient;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r5.model.Group;
import org.hl7.fhir.r5.model.IdType;
import org.hl7.fhir.r5.model.ImagingStudy;
import org.hl7.fhir.r5.model.Patient;
import org.hl7.fhir.r5.model.Reference;
import org.junit.jupiter.api.Test;
import org.sr2fhir.fhir.StudySubjects;
import org.sr2fhir.testserver.FhirTestServer;

/**
 * Decision D26 against a real HAPI FHIR R5 server: the Patient that the ImagingStudy for a Study Instance UID names,
 * found with one search that is remembered; a study not (yet) on the server is asked for again each time.
 */
class ServerStudySubjectsIT {
    private final IGenericClient client;
    private final AtomicInteger requests = new AtomicInteger();

    ServerStudySubjectsIT() {
        FhirContext fhir = FhirContext.forR5Cached();
        // as the application's client (FhirClientConfiguration): no /metadata request before the first search
        fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        client = fhir.newRestfulGenericClient(FhirTestServer.shared().baseUrl());
        client.registerInterceptor(new IClientInterceptor() {
            @Override
            public void interceptRequest(IHttpRequest request) {
                requests.incrementAndGet();
            }

            @Override
            public void interceptResponse(IHttpResponse response) {
                // counting requests only
            }
        });
    }

    /** A Study Instance UID no other test uses. */
    private static String newStudyUid() {
        return "2.25." + (UUID.randomUUID().getMostSignificantBits() & Long.MAX_VALUE);
    }

    private IdType study(String uid, Reference subject) {
        ImagingStudy study = new ImagingStudy().setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
        study.addIdentifier().setSystem("urn:dicom:uid").setValue("urn:oid:" + uid);
        study.setSubject(subject);
        return (IdType) client.create().resource(study).execute().getId();
    }

    private String patient() {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:sr2fhir:test").setValue(UUID.randomUUID().toString());
        return client.create().resource(patient).execute().getId().toUnqualifiedVersionless().getValue();
    }

    @Test
    void theStudysPatientIsFoundWithOneSearchThatIsRemembered() {
        String uid = newStudyUid();
        String patient = patient();
        study(uid, new Reference(patient));
        ServerStudySubjects subjects = new ServerStudySubjects(client);
        requests.set(0);

        assertThat(subjects.find(uid)).isEqualTo(new StudySubjects.Found(patient));
        assertThat(subjects.find(uid)).isEqualTo(new StudySubjects.Found(patient));
        assertThat(requests.get()).as("searches").isEqualTo(1);
    }

    @Test
    void aStudyNotOnTheServerIsAskedForAgain() {
        String uid = newStudyUid();
        ServerStudySubjects subjects = new ServerStudySubjects(client);
        requests.set(0);

        assertThat(subjects.find(uid)).isEqualTo(new StudySubjects.NoStudy());
        String patient = patient();
        study(uid, new Reference(patient));
        requests.set(0);
        assertThat(subjects.find(uid)).isEqualTo(new StudySubjects.Found(patient));
        assertThat(requests.get()).as("searches").isEqualTo(1);
    }

    @Test
    void aStudyOfAGroupOrWithoutSubjectOrOfSeveralPatientsIsNoAnswer() {
        ServerStudySubjects subjects = new ServerStudySubjects(client);
        String groupStudy = newStudyUid();
        String group = client.create().resource(new Group().setType(Group.GroupType.PERSON).setMembership(
                Group.GroupMembershipBasis.ENUMERATED)).execute().getId().toUnqualifiedVersionless().getValue();
        study(groupStudy, new Reference(group));
        assertThat(subjects.find(groupStudy)).isEqualTo(new StudySubjects.NoPatient(group));

        String noSubject = newStudyUid();
        study(noSubject, null);
        assertThat(subjects.find(noSubject)).isEqualTo(new StudySubjects.NoPatient(null));

        String twice = newStudyUid();
        String first = patient();
        String second = patient();
        study(twice, new Reference(first));
        study(twice, new Reference(second));
        assertThat(subjects.find(twice)).isInstanceOf(StudySubjects.Ambiguous.class).satisfies(answer ->
                assertThat(((StudySubjects.Ambiguous) answer).subjects()).containsExactlyInAnyOrder(first, second));
        assertThat(List.of(first, second)).allMatch(p -> p.startsWith("Patient/"));
    }
}
