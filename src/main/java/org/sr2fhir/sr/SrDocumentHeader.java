package org.sr2fhir.sr;

import java.util.List;
import org.sr2fhir.dicom.PersonName;

/**
 * Header values of an SR document that the mapping needs (Patient, General Study, General Series, General
 * Equipment, SR Document General modules). Values are as written (trimmed), null when absent.
 * Patient name, ID and birth date are carried for linking only and must never be logged (decision D21).
 */
public record SrDocumentHeader(
        String sopClassUid,
        String sopInstanceUid,
        String studyInstanceUid,
        String seriesInstanceUid,
        String modality,
        String seriesNumber,
        String instanceNumber,
        String specificCharacterSet,
        Patient patient,
        Study study,
        Equipment equipment,
        String contentDate,
        String contentTime,
        String timezoneOffsetFromUtc,
        String completionFlag,
        String verificationFlag,
        String preliminaryFlag,
        List<Participant> participants,
        List<VerifyingObserver> verifyingObservers,
        List<EvidenceStudy> currentRequestedProcedureEvidence,
        List<EvidenceStudy> pertinentOtherEvidence) {

    public SrDocumentHeader {
        participants = participants == null ? List.of() : List.copyOf(participants);
        verifyingObservers = verifyingObservers == null ? List.of() : List.copyOf(verifyingObservers);
        currentRequestedProcedureEvidence = currentRequestedProcedureEvidence == null
                ? List.of() : List.copyOf(currentRequestedProcedureEvidence);
        pertinentOtherEvidence = pertinentOtherEvidence == null ? List.of() : List.copyOf(pertinentOtherEvidence);
    }

    /**
     * An HL7v2 Hierarchic Designator (Issuer of Patient ID Qualifiers / Issuer of Accession Number item):
     * Local Namespace Entity ID, Universal Entity ID and its type (ISO, URI, DNS, UUID ...).
     */
    public record Issuer(String localNamespaceEntityId, String universalEntityId, String universalEntityIdType) {
    }

    /** Patient module. {@code issuerOfPatientId} is (0010,0021); {@code issuerQualifiers} is (0010,0024). */
    public record Patient(String patientId, String issuerOfPatientId, Issuer issuerQualifiers, PersonName name,
                          String birthDate, String sex) {
    }

    /** General Study module values. */
    public record Study(String studyId, String studyDate, String studyTime, String studyDescription,
                        String accessionNumber, Issuer accessionIssuer, PersonName referringPhysician) {
    }

    /** General Equipment module (PS3.3 C.7.5.1) values. */
    public record Equipment(String manufacturer, String modelName, String deviceSerialNumber, String deviceUid,
                            List<String> udis, List<String> softwareVersions, String stationName,
                            String institutionName) {
        public Equipment {
            udis = udis == null ? List.of() : List.copyOf(udis);
            softwareVersions = softwareVersions == null ? List.of() : List.copyOf(softwareVersions);
        }
    }

    /**
     * A Participant Sequence (0040,A07A) item: Participation Type (SOURCE, ENT, ATTEST ...), Observer Type
     * (PSN or DEV), the person's name, or the device's UID, manufacturer and model (Identified Person or Device
     * macro).
     */
    public record Participant(String participationType, String participationDateTime, String observerType,
                              PersonName personName, String deviceUid, String manufacturer, String modelName,
                              String institutionName) {
    }

    public record VerifyingObserver(PersonName name, String organization, String verificationDateTime) {
    }

    /** A study in a Hierarchical SOP Instance Reference sequence (0040,A375 / 0040,A385). */
    public record EvidenceStudy(String studyInstanceUid, List<EvidenceSeries> series) {
        public EvidenceStudy {
            series = series == null ? List.of() : List.copyOf(series);
        }
    }

    public record EvidenceSeries(String seriesInstanceUid, List<ReferencedSop> instances) {
        public EvidenceSeries {
            instances = instances == null ? List.of() : List.copyOf(instances);
        }
    }
}
