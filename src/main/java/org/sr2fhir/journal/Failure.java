package org.sr2fhir.journal;

import org.sr2fhir.privacy.Redaction;

/**
 * What the journal keeps of a failed attempt: the status it leads to, the reason and the FHIR server's answer as
 * the failure report wrote them (one source for the error file and the journal).
 */
public record Failure(ReportStatus status, String srUid, String studyUid, String reason, String serverAnswer) {
    /** Decision D47: whatever the caller passes, no patient data or credential is stored. */
    public Failure {
        reason = Redaction.redact(reason);
        serverAnswer = Redaction.redact(serverAnswer);
    }
}
