package org.sr2fhir.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class PollBackoffTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-23T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void doublesThePauseUpToTheMaximumAndResetsOnSuccess() {
        ManualClock clock = new ManualClock();
        PollBackoff backoff = new PollBackoff(Duration.ofSeconds(30), Duration.ofMinutes(3), clock);
        assertThat(backoff.ready()).isTrue();

        assertThat(backoff.failed()).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.ready()).isFalse();
        clock.advance(Duration.ofSeconds(29));
        assertThat(backoff.ready()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(backoff.ready()).isTrue();

        assertThat(backoff.failed()).isEqualTo(Duration.ofSeconds(60));
        assertThat(backoff.failed()).isEqualTo(Duration.ofSeconds(120));
        assertThat(backoff.failed()).isEqualTo(Duration.ofMinutes(3));
        for (int i = 0; i < 100; i++) {
            backoff.failed();
        }
        assertThat(backoff.failed()).isEqualTo(Duration.ofMinutes(3));
        assertThat(backoff.consecutiveFailures()).isEqualTo(105);

        backoff.succeeded();
        assertThat(backoff.ready()).isTrue();
        assertThat(backoff.failed()).isEqualTo(Duration.ofSeconds(30));
    }
}
