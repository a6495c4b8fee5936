package org.sr2fhir.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The delivery counters (Micrometer), for dashboards and alerts: {@code sr2fhir.reports.delivered},
 * {@code sr2fhir.reports.retried} (one per retry of a transaction) and {@code sr2fhir.reports.failed} tagged with the
 * failure's kind and whether it is retryable. Exposed by whatever registry the deployment configures (Actuator's
 * metrics endpoint, Prometheus ...).
 */
@Component
public class DeliveryCounters {
    private final MeterRegistry registry;
    private final Counter delivered;
    private final Counter retried;

    public DeliveryCounters(MeterRegistry registry) {
        this.registry = registry;
        this.delivered = Counter.builder("sr2fhir.reports.delivered")
                .description("reports whose transaction(s) the FHIR server committed").register(registry);
        this.retried = Counter.builder("sr2fhir.reports.retried")
                .description("transactions sent again after a transient failure").register(registry);
    }

    void delivered() {
        delivered.increment();
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
