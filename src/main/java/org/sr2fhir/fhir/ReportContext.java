package org.sr2fhir.fhir;

import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Reference;
import org.sr2fhir.sr.SrDocumentHeader;
import org.sr2fhir.tid1500.MeasurementReport;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * Report-level mapping state shared by every group of one report: links to Patient / ServiceRequest /
 * ImagingStudy (D3), status (D7), timing (D8), the equipment and participant Devices and performers (D9), and the
 * report-level resources (devices, practitioners, derived measurements, root-level qualitative evaluations).
 * Immutable: references are handed out as fresh copies, resources are copied into each Bundle.
 */
public final class ReportContext {
    private final MeasurementReport report;
    private final SrDocumentHeader header;
    private final EntryFactory entries;
    private final Reference subject;
    private final Reference serviceRequest;
    private final Reference study;
    private final String status;
    private final OffsetDateTime issued;
    private final ZoneId zone;
    private final String equipmentReference;
    private final String participantDeviceReference;
    private final List<String> performerReferences;
    private final Map<String, String[]> evidence;
    private final CodeableConcept title;
    private final List<MappedEntry> leadingEntries;
    private final List<MappedEntry> trailingEntries;
    private final List<String> trailingResults;

    ReportContext(MeasurementReport report, EntryFactory entries, Reference subject, Reference serviceRequest,
                  Reference study, String status, OffsetDateTime issued, ZoneId zone, String equipmentReference,
                  String participantDeviceReference, List<String> performerReferences,
                  Map<String, String[]> evidence, CodeableConcept title, List<MappedEntry> leadingEntries,
                  List<MappedEntry> trailingEntries, List<String> trailingResults) {
        this.report = report;
        this.header = report.document().header();
        this.entries = entries;
        this.subject = subject;
        this.serviceRequest = serviceRequest;
        this.study = study;
        this.status = status;
        this.issued = issued;
        this.zone = zone;
        this.equipmentReference = equipmentReference;
        this.participantDeviceReference = participantDeviceReference;
        this.performerReferences = List.copyOf(performerReferences);
        this.evidence = Map.copyOf(evidence);
        this.title = title;
        this.leadingEntries = List.copyOf(leadingEntries);
        this.trailingEntries = List.copyOf(trailingEntries);
        this.trailingResults = List.copyOf(trailingResults);
    }

    /** The SR SOP Instance UID. */
    public String sopInstanceUid() {
        return header.sopInstanceUid();
    }

    /** The report being mapped (its not-mapped items and deviations go into the conversion report, D34). */
    public MeasurementReport report() {
        return report;
    }

    SrDocumentHeader header() {
        return header;
    }

    EntryFactory entries() {
        return entries;
    }

    Reference subject() {
        return subject.copy();
    }

    /** Null when the SR has no Accession Number. */
    Reference serviceRequest() {
        return serviceRequest == null ? null : serviceRequest.copy();
    }

    Reference study() {
        return study.copy();
    }

    /** Observation.status code (decision D7). */
    String status() {
        return status;
    }

    /** Content Date/Time (decision D8). */
    OffsetDateTime issued() {
        return issued;
    }

    ZoneId zone() {
        return zone;
    }

    String equipmentReference() {
        return equipmentReference;
    }

    /** Null when the Participant Sequence names no device other than the equipment. */
    String participantDeviceReference() {
        return participantDeviceReference;
    }

    List<String> performerReferences() {
        return performerReferences;
    }

    /** Study and series UIDs of a referenced SOP instance, from the SR's evidence sequences; null when unknown. */
    String[] evidenceOf(String sopInstanceUid) {
        return sopInstanceUid == null ? null : evidence.get(sopInstanceUid);
    }

    CodeableConcept title() {
        return title.copy();
    }

    /** Report-level resources written before the groups (devices, practitioners, created links). */
    List<MappedEntry> leadingEntries() {
        return leadingEntries;
    }

    /** Derived measurements (with their groups) and root-level qualitative evaluations, after the groups. */
    List<MappedEntry> trailingEntries() {
        return trailingEntries;
    }

    /** fullUrls of the trailing Observations the DiagnosticReport lists as results (D20). */
    List<String> trailingResults() {
        return trailingResults;
    }
}
