package org.sr2fhir.journal;

import org.sr2fhir.privacy.Redaction;

/**
 * What the journal keeps of a delivered report: the FHIR server's entry statuses, entry and resource counts, and
 * the conversion report when the pipeline made one.
 */
public record Delivery(String srUid, String studyUid, String serverStatuses, int entries, String resources,
                       String conversionSummary, String conversionReport) {
    /** Decision D47: the conversion report quotes the reader's warnings, which may quote header values. */
    public Delivery {
        conversionSummary = Redaction.redact(conversionSummary);
        conversionReport = Redaction.redact(conversionReport);
    }
}
