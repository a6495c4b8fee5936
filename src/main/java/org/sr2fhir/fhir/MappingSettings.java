package org.sr2fhir.fhir;

import java.time.ZoneId;
import java.util.Map;

/**
 * The mapping choices that decisions.md leaves configurable. Built from {@code sr2fhir.*} settings by the
 * config package; plain Java so mapping stays testable without Spring.
 *
 * @param defaultTimezone      zone for DICOM date/times with no offset and no (0008,0201) (decision D8)
 * @param createMissing        also conditionally create minimal Patient/ImagingStudy/ServiceRequest (D3)
 * @param ids                  deterministic ids with PUT, or conditional create (D5)
 * @param issuerSystems        Issuer of Patient ID (0010,0021) → identifier system (D4)
 * @param defaultPatientSystem identifier system when the SR names no usable issuer (D4)
 * @param defaultAccessionSystem identifier system for accession numbers with no issuer (D3)
 * @param codingSchemes        extra Coding Scheme Designator → system URI entries (D12)
 * @param diagnosticReport     emit one DiagnosticReport per SR (D20)
 * @param maxEntriesPerBundle  split larger reports at group boundaries (D6); 0 = never split
 * @param missingPatientId     a report with an empty Patient ID: refused, or linked to the Patient of its study (D26)
 */
public record MappingSettings(ZoneId defaultTimezone, boolean createMissing, IdStrategy ids,
                              Map<String, String> issuerSystems, String defaultPatientSystem,
                              String defaultAccessionSystem, Map<String, String> codingSchemes,
                              boolean diagnosticReport, int maxEntriesPerBundle, MissingPatientId missingPatientId) {

    /** How resources get their identity on the server (decision D5). */
    public enum IdStrategy { DETERMINISTIC, CONDITIONAL_CREATE }

    /** What a report with an empty Patient ID (Type 2) is linked to (decision D26). */
    public enum MissingPatientId { REJECT, FROM_STUDY }

    public MappingSettings {
        issuerSystems = issuerSystems == null ? Map.of() : Map.copyOf(issuerSystems);
        codingSchemes = codingSchemes == null ? Map.of() : Map.copyOf(codingSchemes);
        missingPatientId = missingPatientId == null ? MissingPatientId.FROM_STUDY : missingPatientId;
    }

    /** The settings of the choices before D26; a missing Patient ID takes its default, from-study. */
    public MappingSettings(ZoneId defaultTimezone, boolean createMissing, IdStrategy ids,
                           Map<String, String> issuerSystems, String defaultPatientSystem,
                           String defaultAccessionSystem, Map<String, String> codingSchemes,
                           boolean diagnosticReport, int maxEntriesPerBundle) {
        this(defaultTimezone, createMissing, ids, issuerSystems, defaultPatientSystem, defaultAccessionSystem,
                codingSchemes, diagnosticReport, maxEntriesPerBundle, MissingPatientId.FROM_STUDY);
    }

    /** The documented defaults of application.yaml. */
    public static MappingSettings defaults() {
        return new MappingSettings(ZoneId.of("UTC"), false, IdStrategy.DETERMINISTIC, Map.of(),
                "urn:sr2fhir:patient-id", "urn:sr2fhir:accession", Map.of(), true, 0, MissingPatientId.FROM_STUDY);
    }

    /** The same settings with another missing-Patient-ID policy (the CLI without a FHIR server uses reject, D26). */
    public MappingSettings withMissingPatientId(MissingPatientId policy) {
        return new MappingSettings(defaultTimezone, createMissing, ids, issuerSystems, defaultPatientSystem,
                defaultAccessionSystem, codingSchemes, diagnosticReport, maxEntriesPerBundle, policy);
    }
}
