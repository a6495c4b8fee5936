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
 */
public record MappingSettings(ZoneId defaultTimezone, boolean createMissing, IdStrategy ids,
                              Map<String, String> issuerSystems, String defaultPatientSystem,
                              String defaultAccessionSystem, Map<String, String> codingSchemes,
                              boolean diagnosticReport, int maxEntriesPerBundle) {

    /** How resources get their identity on the server (decision D5). */
    public enum IdStrategy { DETERMINISTIC, CONDITIONAL_CREATE }

    public MappingSettings {
        issuerSystems = issuerSystems == null ? Map.of() : Map.copyOf(issuerSystems);
        codingSchemes = codingSchemes == null ? Map.of() : Map.copyOf(codingSchemes);
    }

    /** The documented defaults of application.yaml. */
    public static MappingSettings defaults() {
        return new MappingSettings(ZoneId.of("UTC"), false, IdStrategy.DETERMINISTIC, Map.of(),
                "urn:sr2fhir:patient-id", "urn:sr2fhir:accession", Map.of(), true, 0);
    }
}
