package org.sr2fhir.journal;

import java.time.Instant;

/**
 * A search of the journal, newest first; every criterion may be null.
 *
 * @param before only rows with a smaller id (the next page starts below the last id of the previous one)
 * @param limit  at most this many rows
 */
public record JournalQuery(ReportStatus status, String studyUid, String srUid, Instant since, Long before, int limit) {
}
