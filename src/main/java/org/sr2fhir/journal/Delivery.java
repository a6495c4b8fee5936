package org.sr2fhir.journal;

/**
 * What the journal keeps of a delivered report: the FHIR server's entry statuses, entry and resource counts, and
 * the conversion report when the pipeline made one.
 */
public record Delivery(String srUid, String studyUid, String serverStatuses, int entries, String resources,
                       String conversionSummary, String conversionReport) {
}
