package org.sr2fhir.journal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/**
 * The report journal: one row per input, written at each state change by the routes' glue. Each change is one SQL
 * statement committed on its own, so a crash loses at most the change in progress and never leaves a row in a state
 * it was not in. The schema is Flyway's ({@code db/migration}); the SQL is portable (H2, PostgreSQL).
 * No patient name, ID or birth date is ever written (decision D21).
 */
public class ReportJournal {
    private static final String COLUMNS = "id, source, source_name, sr_uid, study_uid, status, attempts, received_at, "
            + "updated_at, finished_at, reason, server_statuses, server_answer, entries, resources, "
            + "conversion_summary, conversion_report, resend_requested, kafka_record";

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public ReportJournal(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    /**
     * An input was taken from its source. It continues the row of the same input when that row is waiting for it:
     * a resend was asked for, or the input was in flight when an instance stopped (the file stayed in the inbox), or
     * (DICOMweb) it failed for a passing reason and is fetched again. Otherwise a new row.
     *
     * @return the row's id
     */
    public long received(ReportSource source, String sourceName, String srUid) {
        Instant now = clock.instant();
        String waiting = source == ReportSource.DICOMWEB
                ? "(resend_requested OR status IN ('received', 'retrying', 'failed-retryable'))"
                : "(resend_requested OR status IN ('received', 'retrying'))";
        List<Long> previous = jdbc.queryForList("SELECT id FROM report WHERE source = ? AND source_name = ? AND "
                + waiting + " ORDER BY id DESC", Long.class, source.code(), sourceName);
        if (!previous.isEmpty()) {
            long id = previous.get(0);
            jdbc.update("UPDATE report SET status = 'received', attempts = attempts + 1, resend_requested = FALSE, "
                    + "updated_at = ?, finished_at = NULL, reason = NULL, server_answer = NULL WHERE id = ?",
                    at(now), id);
            return id;
        }
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            var insert = connection.prepareStatement("INSERT INTO report (source, source_name, sr_uid, status, "
                    + "attempts, received_at, updated_at) VALUES (?, ?, ?, 'received', 1, ?, ?)", new String[] {"id"});
            insert.setString(1, source.code());
            insert.setString(2, sourceName);
            insert.setString(3, srUid);
            insert.setObject(4, at(now));
            insert.setObject(5, at(now));
            return insert;
        }, key);
        return key.getKey().longValue();
    }

    /** The FHIR server committed the report. */
    public void delivered(long id, Delivery delivery) {
        Instant now = clock.instant();
        jdbc.update("UPDATE report SET status = 'delivered', sr_uid = COALESCE(?, sr_uid), "
                + "study_uid = COALESCE(?, study_uid), server_statuses = ?, entries = ?, resources = ?, "
                + "conversion_summary = ?, conversion_report = ?, reason = NULL, server_answer = NULL, "
                + "updated_at = ?, finished_at = ? WHERE id = ?",
                delivery.srUid(), delivery.studyUid(), delivery.serverStatuses(), delivery.entries(),
                delivery.resources(), delivery.conversionSummary(), delivery.conversionReport(), at(now), at(now), id);
    }

    /**
     * Kafka cluster mode, the source's row (issue 15): the broker acknowledged the input's record at
     * {@code kafkaRecord} (topic-partition@offset); a worker delivers it and keeps its own row.
     */
    public void published(long id, String srUid, String studyUid, String kafkaRecord) {
        Instant now = clock.instant();
        jdbc.update("UPDATE report SET status = 'published', sr_uid = COALESCE(?, sr_uid), "
                + "study_uid = COALESCE(?, study_uid), kafka_record = ?, reason = NULL, updated_at = ?, "
                + "finished_at = ? WHERE id = ?", srUid, studyUid, kafkaRecord, at(now), at(now), id);
    }

    /** Kafka cluster mode: the record the row's input is now (taken by a worker, or its dead letter). */
    public void kafkaRecord(long id, String kafkaRecord) {
        jdbc.update("UPDATE report SET kafka_record = ?, updated_at = ? WHERE id = ?", kafkaRecord, at(clock.instant()), id);
    }

    /** The same content was delivered before; nothing was sent. */
    public void skippedDuplicate(long id) {
        Instant now = clock.instant();
        jdbc.update("UPDATE report SET status = 'skipped-duplicate', updated_at = ?, finished_at = ? WHERE id = ?",
                at(now), at(now), id);
    }

    /** An attempt failed: rejected, failed-retryable (this attempt is over) or retrying (it goes on). */
    public void failed(long id, Failure failure) {
        Instant now = clock.instant();
        boolean over = failure.status() != ReportStatus.RETRYING;
        jdbc.update("UPDATE report SET status = ?, sr_uid = COALESCE(?, sr_uid), study_uid = COALESCE(?, study_uid), "
                + "reason = ?, server_answer = ?, attempts = attempts + ?, updated_at = ?, finished_at = ? WHERE id = ?",
                failure.status().code(), failure.srUid(), failure.studyUid(), failure.reason(),
                failure.serverAnswer(), over ? 0 : 1, at(now), over ? at(now) : null, id);
    }

    /**
     * Marks a rejected or failed row as waiting for its input again (the caller then puts the input back), unless
     * it is in flight.
     *
     * @return false when the row is not (or no longer) in a state a resend may start again
     */
    public boolean requestResend(long id) {
        return jdbc.update("UPDATE report SET resend_requested = TRUE, updated_at = ? WHERE id = ? "
                + "AND status IN ('rejected', 'failed-retryable')", at(clock.instant()), id) == 1;
    }

    /** Undoes {@link #requestResend} when putting the input back failed. */
    public void cancelResend(long id) {
        jdbc.update("UPDATE report SET resend_requested = FALSE WHERE id = ?", id);
    }

    public Optional<JournalEntry> find(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM report WHERE id = ?", ROW, id).stream().findFirst();
    }

    /** Rows matching {@code query}, newest first. */
    public List<JournalEntry> search(JournalQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM report WHERE 1 = 1");
        List<Object> arguments = new ArrayList<>();
        if (query.status() != null) {
            sql.append(" AND status = ?");
            arguments.add(query.status().code());
        }
        if (query.studyUid() != null) {
            sql.append(" AND study_uid = ?");
            arguments.add(query.studyUid());
        }
        if (query.srUid() != null) {
            sql.append(" AND sr_uid = ?");
            arguments.add(query.srUid());
        }
        if (query.since() != null) {
            sql.append(" AND received_at >= ?");
            arguments.add(at(query.since()));
        }
        if (query.before() != null) {
            sql.append(" AND id < ?");
            arguments.add(query.before());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        arguments.add(query.limit());
        return jdbc.query(sql.toString(), ROW, arguments.toArray());
    }

    /** How many inputs were received since {@code since}, per their current status (zeros included). */
    public Map<ReportStatus, Long> countsSince(Instant since) {
        Map<ReportStatus, Long> counts = new EnumMap<>(ReportStatus.class);
        for (ReportStatus status : ReportStatus.values()) {
            counts.put(status, 0L);
        }
        jdbc.query("SELECT status, COUNT(*) FROM report WHERE received_at >= ? GROUP BY status",
                (ResultSet rs) -> {
                    counts.put(ReportStatus.of(rs.getString(1)), rs.getLong(2));
                }, at(since));
        return counts;
    }

    /** How many reports were delivered since {@code since}. */
    public long deliveredSince(Instant since) {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM report WHERE status = 'delivered' AND finished_at >= ?",
                Long.class, at(since));
        return count == null ? 0 : count;
    }

    /** Deletes the rows received before {@code before} that no route is working on; returns how many. */
    public int prune(Instant before) {
        return jdbc.update("DELETE FROM report WHERE received_at < ? AND status NOT IN ('received', 'retrying')",
                at(before));
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static final RowMapper<JournalEntry> ROW = (rs, row) -> new JournalEntry(
            rs.getLong("id"), ReportSource.of(rs.getString("source")), rs.getString("source_name"),
            rs.getString("sr_uid"), rs.getString("study_uid"), ReportStatus.of(rs.getString("status")),
            rs.getInt("attempts"), instant(rs, "received_at"), instant(rs, "updated_at"), instant(rs, "finished_at"),
            rs.getString("reason"), rs.getString("server_statuses"), rs.getString("server_answer"),
            (Integer) rs.getObject("entries", Integer.class), rs.getString("resources"),
            rs.getString("conversion_summary"), rs.getString("conversion_report"), rs.getBoolean("resend_requested"),
            rs.getString("kafka_record"));
}
