package org.sr2fhir.ops.web;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import org.sr2fhir.journal.JournalEntry;
import org.sr2fhir.journal.JournalQuery;
import org.sr2fhir.journal.ReportJournal;
import org.sr2fhir.journal.ReportStatus;
import org.sr2fhir.ops.ReportResend;

/**
 * The REST API over the report journal, on the management port: search, one report, the summary, resend.
 * Answers are JSON; times are ISO-8601 UTC. A bad query parameter is a 400 naming it.
 */
public class ReportApi {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final ReportJournal journal;
    private final ReportResend resend;

    public ReportApi(ReportJournal journal, ReportResend resend) {
        this.journal = journal;
        this.resend = resend;
    }

    /** {@code GET /api/reports?status=&study=&sr=&since=&limit=&before=}: newest first; {@code next} pages on. */
    public ServerResponse reports(ServerRequest request) {
        JournalQuery query;
        try {
            query = new JournalQuery(
                    request.param("status").filter(s -> !s.isBlank()).map(ReportStatus::of).orElse(null),
                    blankToNull(request.param("study")), blankToNull(request.param("sr")),
                    request.param("since").filter(s -> !s.isBlank()).map(Instant::parse).orElse(null),
                    request.param("before").filter(s -> !s.isBlank()).map(Long::valueOf).orElse(null),
                    request.param("limit").filter(s -> !s.isBlank()).map(Integer::valueOf).orElse(DEFAULT_LIMIT));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return badRequest("status (one of " + List.of(ReportStatus.values()).stream().map(ReportStatus::code).toList()
                    + "), since (ISO-8601 instant, e.g. 2026-12-01T00:00:00Z), limit and before (numbers): " + e.getMessage());
        }
        if (query.limit() < 1 || query.limit() > MAX_LIMIT) {
            return badRequest("limit must be between 1 and " + MAX_LIMIT);
        }
        List<JournalEntry> rows = journal.search(query);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reports", rows.stream().map(ReportApi::listed).toList());
        body.put("next", rows.size() == query.limit() ? "before=" + rows.get(rows.size() - 1).id() : null);
        return ServerResponse.ok().body(body);
    }

    /** {@code GET /api/reports/{id}}: the whole row, with the {@code .error.txt} text while the file is in error/. */
    public ServerResponse report(ServerRequest request) {
        Optional<JournalEntry> entry = id(request).flatMap(journal::find);
        if (entry.isEmpty()) {
            return ServerResponse.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no such report"));
        }
        Map<String, Object> body = listed(entry.get());
        body.put("serverAnswer", entry.get().serverAnswer());
        body.put("conversionReport", entry.get().conversionReport());
        body.put("errorText", resend.errorText(entry.get()).orElse(null));
        return ServerResponse.ok().body(body);
    }

    /** {@code GET /api/summary}: reports per status received in the last hour and day, deliveries per hour. */
    public ServerResponse summary(ServerRequest request) {
        Instant now = Instant.now();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("lastHour", codes(journal.countsSince(now.minus(Duration.ofHours(1)))));
        body.put("lastDay", codes(journal.countsSince(now.minus(Duration.ofDays(1)))));
        body.put("deliveredLastHour", journal.deliveredSince(now.minus(Duration.ofHours(1))));
        body.put("at", now.toString());
        return ServerResponse.ok().body(body);
    }

    /** {@code POST /api/reports/{id}/resend}: 202 once the input is back in its source, 409 in flight or delivered. */
    public ServerResponse resend(ServerRequest request) {
        Optional<Long> id = id(request);
        ReportResend.Result result = id.isPresent() ? resend.resend(id.get())
                : new ReportResend.Result(ReportResend.Outcome.NOT_FOUND, "no such report", null);
        HttpStatus status = switch (result.outcome()) {
            case RESENT, ALREADY_REQUESTED -> HttpStatus.ACCEPTED;
            case IN_FLIGHT, NOT_FAILED -> HttpStatus.CONFLICT;
            case FILE_NOT_MOVABLE -> HttpStatus.GONE;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
        };
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("outcome", result.outcome().name().toLowerCase().replace('_', '-'));
        body.put("message", result.message());
        if (result.entry() != null) {
            body.put("report", listed(result.entry()));
        }
        return ServerResponse.status(status).body(body);
    }

    static Map<String, Object> listed(JournalEntry e) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", e.id());
        row.put("source", e.source().code());
        row.put("name", e.sourceName());
        row.put("srUid", e.srUid());
        row.put("studyUid", e.studyUid());
        row.put("status", e.status().code());
        row.put("attempts", e.attempts());
        row.put("receivedAt", text(e.receivedAt()));
        row.put("updatedAt", text(e.updatedAt()));
        row.put("finishedAt", text(e.finishedAt()));
        row.put("reason", e.reason());
        row.put("serverStatuses", e.serverStatuses());
        row.put("entries", e.entries());
        row.put("resources", e.resources());
        row.put("conversionSummary", e.conversionSummary());
        row.put("resendRequested", e.resendRequested());
        return row;
    }

    private static Map<String, Long> codes(Map<ReportStatus, Long> counts) {
        Map<String, Long> byCode = new LinkedHashMap<>();
        counts.forEach((status, count) -> byCode.put(status.code(), count));
        return byCode;
    }

    private static Optional<Long> id(ServerRequest request) {
        try {
            return Optional.of(Long.valueOf(request.pathVariable("id")));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String blankToNull(Optional<String> value) {
        return value.filter(s -> !s.isBlank()).orElse(null);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static ServerResponse badRequest(String message) {
        return ServerResponse.badRequest().body(Map.of("error", message));
    }
}
