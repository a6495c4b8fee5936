package org.sr2fhir.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's state changes, searches and retention, on H2 migrated by the application's Flyway scripts. */
class ReportJournalTest {
    private final DataSource database = TestJournals.database();
    private final ReportJournal journal = at("2026-12-01T10:00:00Z");

    /** The journal as it writes at {@code instant} (one database, several clocks). */
    private ReportJournal at(String instant) {
        return new ReportJournal(database, Clock.fixed(Instant.parse(instant), ZoneOffset.UTC));
    }

    @Test
    void aReportGoesFromReceivedThroughRetriesToDelivered() {
        long id = journal.received(ReportSource.INBOX, "a.dcm", null);
        at("2026-12-01T10:00:01Z").failed(id, new Failure(ReportStatus.RETRYING, "1.2.3", "1.2", "FHIR server not reachable: refused", null));
        assertThat(journal.find(id).orElseThrow()).satisfies(row -> {
            assertThat(row.status()).isEqualTo(ReportStatus.RETRYING);
            assertThat(row.attempts()).isEqualTo(2);
            assertThat(row.finishedAt()).isNull();
            assertThat(row.reason()).isEqualTo("FHIR server not reachable: refused");
        });
        at("2026-12-01T10:00:03Z").delivered(id, new Delivery("1.2.3", "1.2", "201 Created x3", 3, "Observation x2, Patient x1",
                "2 groups, 0 warnings", "{\"groups\":2}"));
        JournalEntry row = journal.find(id).orElseThrow();
        assertThat(row.status()).isEqualTo(ReportStatus.DELIVERED);
        assertThat(row.source()).isEqualTo(ReportSource.INBOX);
        assertThat(row.sourceName()).isEqualTo("a.dcm");
        assertThat(row.srUid()).isEqualTo("1.2.3");
        assertThat(row.studyUid()).isEqualTo("1.2");
        assertThat(row.attempts()).isEqualTo(2);
        assertThat(row.reason()).isNull();
        assertThat(row.serverStatuses()).isEqualTo("201 Created x3");
        assertThat(row.entries()).isEqualTo(3);
        assertThat(row.resources()).isEqualTo("Observation x2, Patient x1");
        assertThat(row.conversionSummary()).isEqualTo("2 groups, 0 warnings");
        assertThat(row.conversionReport()).isEqualTo("{\"groups\":2}");
        assertThat(row.receivedAt()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(row.finishedAt()).isEqualTo("2026-12-01T10:00:03Z");
    }

    @Test
    void aResendContinuesTheRowOfTheSameInput() {
        long id = journal.received(ReportSource.INBOX, "bad.dcm", null);
        journal.failed(id, new Failure(ReportStatus.REJECTED, null, null, "bad.dcm: not DICOM", null));
        // delivered or in flight cannot be resent; rejected can, once
        assertThat(journal.requestResend(id)).isTrue();
        assertThat(journal.find(id).orElseThrow().resendRequested()).isTrue();

        assertThat(journal.received(ReportSource.INBOX, "bad.dcm", null)).isEqualTo(id);
        JournalEntry row = journal.find(id).orElseThrow();
        assertThat(row.status()).isEqualTo(ReportStatus.RECEIVED);
        assertThat(row.attempts()).isEqualTo(2);
        assertThat(row.resendRequested()).isFalse();
        assertThat(row.reason()).isNull();
        assertThat(row.finishedAt()).isNull();
        assertThat(journal.requestResend(id)).as("in flight").isFalse();
    }

    @Test
    void anInputLeftInFlightByAStoppedInstanceContinuesItsRowAndAFinishedOneDoesNot() {
        long crashed = journal.received(ReportSource.INBOX, "x.dcm", null);
        assertThat(journal.received(ReportSource.INBOX, "x.dcm", null)).isEqualTo(crashed);
        journal.delivered(crashed, new Delivery(null, null, "200 OK x1", 1, "Observation x1", null, null));
        // the same name dropped again later is another input
        assertThat(journal.received(ReportSource.INBOX, "x.dcm", null)).isNotEqualTo(crashed);
        // a rejected file moved back by hand (no resend asked) is another input too
        long rejected = journal.received(ReportSource.INBOX, "y.dcm", null);
        journal.failed(rejected, new Failure(ReportStatus.REJECTED, null, null, "no", null));
        assertThat(journal.received(ReportSource.INBOX, "y.dcm", null)).isNotEqualTo(rejected);
    }

    @Test
    void aDicomWebSrFailedByAnOutageContinuesItsRowWhenFetchedAgain() {
        long id = journal.received(ReportSource.DICOMWEB, "1.2.3", "1.2.3");
        journal.failed(id, new Failure(ReportStatus.FAILED_RETRYABLE, null, null, "FHIR server not reachable", null));
        assertThat(journal.find(id).orElseThrow().finishedAt()).isNotNull();
        assertThat(journal.received(ReportSource.DICOMWEB, "1.2.3", "1.2.3")).isEqualTo(id);
        assertThat(journal.find(id).orElseThrow().attempts()).isEqualTo(2);
        assertThat(journal.find(id).orElseThrow().srUid()).isEqualTo("1.2.3");
    }

    @Test
    void searchesNewestFirstByStatusStudySrAndTimeInPages() {
        long a = journal.received(ReportSource.INBOX, "a.dcm", null);
        journal.delivered(a, new Delivery("1.1", "9.1", "201 Created x1", 1, "", null, null));
        ReportJournal later = at("2026-12-01T10:10:00Z");
        long b = later.received(ReportSource.INBOX, "b.dcm", null);
        later.failed(b, new Failure(ReportStatus.REJECTED, "1.2", "9.2", "bad", null));
        ReportJournal latest = at("2026-12-01T10:20:00Z");
        long c = latest.received(ReportSource.DICOMWEB, "1.3", "1.3");
        latest.delivered(c, new Delivery("1.3", "9.1", "201 Created x1", 1, "", null, null));

        assertThat(ids(new JournalQuery(null, null, null, null, null, 10))).containsExactly(c, b, a);
        assertThat(ids(new JournalQuery(ReportStatus.DELIVERED, null, null, null, null, 10))).containsExactly(c, a);
        assertThat(ids(new JournalQuery(null, "9.1", null, null, null, 10))).containsExactly(c, a);
        assertThat(ids(new JournalQuery(null, null, "1.2", null, null, 10))).containsExactly(b);
        assertThat(ids(new JournalQuery(null, null, null, Instant.parse("2026-12-01T10:05:00Z"), null, 10)))
                .containsExactly(c, b);
        assertThat(ids(new JournalQuery(null, null, null, null, null, 2))).containsExactly(c, b);
        assertThat(ids(new JournalQuery(null, null, null, null, b, 2))).containsExactly(a);

        assertThat(journal.countsSince(Instant.parse("2026-12-01T10:05:00Z")))
                .containsEntry(ReportStatus.DELIVERED, 1L).containsEntry(ReportStatus.REJECTED, 1L)
                .containsEntry(ReportStatus.RETRYING, 0L).hasSize(ReportStatus.values().length);
        assertThat(journal.deliveredSince(Instant.parse("2026-12-01T09:00:00Z"))).isEqualTo(2);
    }

    @Test
    void pruningDeletesOldFinishedRowsAndKeepsThoseInFlight() {
        long old = journal.received(ReportSource.INBOX, "old.dcm", null);
        journal.skippedDuplicate(old);
        long stuck = journal.received(ReportSource.INBOX, "stuck.dcm", null);
        ReportJournal monthLater = at("2027-01-01T10:00:00Z");
        long recent = monthLater.received(ReportSource.INBOX, "recent.dcm", null);
        monthLater.skippedDuplicate(recent);

        assertThat(journal.prune(Instant.parse("2027-01-01T10:00:00Z").minus(Duration.ofDays(30)))).isEqualTo(1);
        assertThat(journal.find(old)).isEmpty();
        assertThat(journal.find(stuck)).isPresent();
        assertThat(journal.find(recent)).isPresent();
    }

    @Test
    void anH2FileJournalKeepsItsRowsAcrossARestart(@TempDir Path folder) {
        String url = "jdbc:h2:file:" + folder.resolve("journal") + ";WRITE_DELAY=0";
        JdbcDataSource first = new JdbcDataSource();
        first.setURL(url);
        Flyway.configure().dataSource(first).load().migrate();
        long id = new ReportJournal(first, Clock.systemUTC()).received(ReportSource.INBOX, "kept.dcm", null);
        new ReportJournal(first, Clock.systemUTC()).failed(id, new Failure(ReportStatus.REJECTED, null, null, "kept reason", null));
        // JdbcDataSource opens a connection per call: the database is closed once none is open
        assertThat(Files.exists(folder.resolve("journal.mv.db"))).isTrue();

        JdbcDataSource second = new JdbcDataSource();
        second.setURL(url);
        Flyway.configure().dataSource(second).load().migrate();
        JournalEntry row = new ReportJournal(second, Clock.systemUTC()).find(id).orElseThrow();
        assertThat(row.sourceName()).isEqualTo("kept.dcm");
        assertThat(row.status()).isEqualTo(ReportStatus.REJECTED);
        assertThat(row.reason()).isEqualTo("kept reason");
    }

    private List<Long> ids(JournalQuery query) {
        return journal.search(query).stream().map(JournalEntry::id).toList();
    }
}
