package org.sr2fhir.journal;

import java.time.Instant;

/**
 * One row of the journal: one input and what became of it. No patient data (decision D21).
 *
 * @param sourceName        the inbox file name, or the SR SOP Instance UID for DICOMweb
 * @param attempts          times the input was taken or sent again (1 for a first, clean delivery)
 * @param reason            why it failed or is being retried (the first line of its {@code .error.txt})
 * @param serverStatuses    the FHIR server's entry statuses when it took the report ("201 Created x12")
 * @param serverAnswer      the server's OperationOutcome when it refused the report
 * @param entries           Bundle entries the server answered for
 * @param resources         resources the server stored, per type ("Observation x12, ImagingSelection x4")
 * @param resendRequested   a resend was asked for and the input has not been taken again yet
 * @param kafkaRecord       Kafka cluster mode: the record (topic-partition@offset) the input became (source) or came
 *                          from, and once dead-lettered the dead letter's (worker); null in standalone mode
 */
public record JournalEntry(long id, ReportSource source, String sourceName, String srUid, String studyUid,
                           ReportStatus status, int attempts, Instant receivedAt, Instant updatedAt,
                           Instant finishedAt, String reason, String serverStatuses, String serverAnswer,
                           Integer entries, String resources, String conversionSummary, String conversionReport,
                           boolean resendRequested, String kafkaRecord) {
}
