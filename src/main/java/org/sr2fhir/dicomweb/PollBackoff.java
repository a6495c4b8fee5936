package org.sr2fhir.dicomweb;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Exponential back-off between polls after transient failures (archive or FHIR server unreachable, HTTP 5xx):
 * the n-th consecutive failure pauses polling for poll interval x 2^(n-1), at most {@code max}. Any success resets
 * it. Thread-safe.
 */
public final class PollBackoff {
    private final Duration base;
    private final Duration max;
    private final Clock clock;
    private int failures;
    private Instant resumeAt = Instant.MIN;

    public PollBackoff(Duration base, Duration max, Clock clock) {
        this.base = base;
        this.max = max;
        this.clock = clock;
    }

    /** True when a poll may run now. */
    public synchronized boolean ready() {
        return !clock.instant().isBefore(resumeAt);
    }

    /** Records one more consecutive failure; returns the pause before the next poll. */
    public synchronized Duration failed() {
        failures++;
        Duration pause = base.multipliedBy(1L << Math.min(failures - 1, 30));
        if (pause.compareTo(max) > 0 || pause.isNegative()) {
            pause = max;
        }
        resumeAt = clock.instant().plus(pause);
        return pause;
    }

    public synchronized void succeeded() {
        failures = 0;
        resumeAt = Instant.MIN;
    }

    public synchronized int consecutiveFailures() {
        return failures;
    }

    public synchronized Instant resumeAt() {
        return resumeAt;
    }
}
