package org.sr2fhir.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The delivery counters (Micrometer), for dashboards and alerts: {@code sr2fhir.reports.delivered},
 * {@code sr2fhir.reports.retried} (one per retry of a transaction) and {@code sr2fhir.reports.failed} tagged with the
 * failure's kind and whether it is retryable; per delivered report its end-to-end latency
 * ({@code sr2fhir.reports.latency}: from the source handing it over, retries included, to the server's commit) and
 * its Bundle entries ({@code sr2fhir.reports.entries}). Exposed on {@code /actuator/prometheus} (issue 12).
 */
@Component
public class DeliveryCounters {
    private final MeterRegistry registry;
    private final Counter delivered;
    private final Counter retried;
    private final Timer latency;
    private final DistributionSummary entries;

    public DeliveryCounters(MeterRegistry registry) {
        this.registry = registry;
        this.delivered = Counter.builder("sr2fhir.reports.delivered")
                .description("reports whose transaction(s) the FHIR server committed").register(registry);
        this.retried = Counter.builder("sr2fhir.reports.retried")
                .description("transactions sent again after a transient failure").register(registry);
        this.latency = Timer.builder("sr2fhir.reports.latency")
                .description("from taking a report to the FHIR server's commit, retries included").register(registry);
        this.entries = DistributionSummary.builder("sr2fhir.reports.entries").baseUnit("entries")
                .description("Bundle entries per delivered report").register(registry);
    }

    void delivered(int bundleEntries, Duration elapsed) {
        delivered.increment();
        entries.record(bundleEntries);
        latency.record(elapsed);
    }

    void retried() {
        retried.increment();
    }

    void failed(FailureReport.Failure failure) {
        Counter.builder("sr2fhir.reports.failed")
                .description("reports that ended in the error folder")
                .tag("kind", failure.kind().name().toLowerCase().replace('_', '-'))
                .tag("retryable", String.valueOf(failure.retryable()))
                .register(registry).increment();
    }
}
