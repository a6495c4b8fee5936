package org.sr2fhir.journal;

import java.util.Arrays;
import java.util.Set;

/** Where one input stands, as the journal records it; {@link #code()} is the word in the database and the API. */
public enum ReportStatus {
    /** taken from the source; being converted and delivered */
    RECEIVED("received"),
    /** the FHIR server committed every transaction of the report */
    DELIVERED("delivered"),
    /** Kafka cluster mode, the source's row: the broker acknowledged the input's record (issue 15); a worker delivers it */
    PUBLISHED("published"),
    /** the same content was delivered before: not sent again */
    SKIPPED_DUPLICATE("skipped-duplicate"),
    /** refused for good: bad input, IG validation in reject mode, a 4xx answer */
    REJECTED("rejected"),
    /** failed for a reason that may pass (server down, busy): sending it again may succeed */
    FAILED_RETRYABLE("failed-retryable"),
    /** a transient failure; the inbox route is sending it again within the retry budget */
    RETRYING("retrying");

    /** Still being worked on by a route: a resend must not touch it. */
    public static final Set<ReportStatus> IN_FLIGHT = Set.of(RECEIVED, RETRYING);
    /** What a resend may start again. */
    public static final Set<ReportStatus> RESENDABLE = Set.of(REJECTED, FAILED_RETRYABLE);

    private final String code;

    ReportStatus(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static ReportStatus of(String code) {
        return Arrays.stream(values()).filter(s -> s.code.equals(code)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown report status '" + code + "'; one of "
                        + Arrays.stream(values()).map(ReportStatus::code).toList()));
    }
}
