package org.sr2fhir.delivery;

import java.time.Duration;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.sr2fhir.config.Sr2FhirProperties;

/**
 * The {@code retryWhile} of the inbox route's error handling (issue 6): an input is sent again while its failure is
 * transient (see {@link FailureReport#classify}) and the retry budget, counted from its first failure, is not spent.
 * Camel's redelivery policy ({@code deliveryRedeliveryPolicy}) supplies the exponential back-off between attempts;
 * a restart starts a new budget, since the file is then still in the inbox.
 */
@Component("deliveryRetry")
public class DeliveryRetry {
    /** Exchange property: epoch millis of the input's first failure. */
    static final String FIRST_FAILURE = "sr2fhirFirstFailure";
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryRetry.class);

    private final FailureReport failureReport;
    private final DeliveryCounters counters;
    private final Duration budget;

    public DeliveryRetry(FailureReport failureReport, DeliveryCounters counters, Sr2FhirProperties properties) {
        this.failureReport = failureReport;
        this.counters = counters;
        this.budget = properties.delivery().retryBudget();
    }

    /** True: send the input again (after the back-off pause); false: the failure handling takes over. */
    public boolean withinBudget(Exchange exchange) {
        Throwable exception = exchange.getException();
        if (exception == null) {
            exception = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        }
        FailureReport.Failure failure = failureReport.classify(exception);
        exchange.setProperty(FailureReport.FAILURE, failure);
        // a rejection that may pass later (decision D26) waits for a person to move it back, it is not retried here
        if (!failure.retryable() || failure.kind() == FailureReport.Kind.REJECTED) {
            return false;
        }
        // decision D50: a report that exhausted the heap would do it again; it waits for a larger heap
        if (FailureReport.find(exception, OutOfMemoryError.class) != null) {
            return false;
        }
        long now = System.currentTimeMillis();
        long firstFailure = exchange.getProperty(FIRST_FAILURE, now, Long.class);
        exchange.setProperty(FIRST_FAILURE, firstFailure);
        long spent = now - firstFailure;
        if (spent >= budget.toMillis()) {
            LOG.warn("giving up on {} after {} s of retries: {}", fileName(exchange), spent / 1000, failure.reason());
            return false;
        }
        counters.retried();
        int attempt = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1;
        LOG.warn("retrying {} (attempt {}, {} s of the {} s budget left): {}", fileName(exchange), attempt,
                (budget.toMillis() - spent) / 1000, budget.toSeconds(), failure.reason());
        return true;
    }

    private static String fileName(Exchange exchange) {
        return exchange.getMessage().getHeader(Exchange.FILE_NAME, "input", String.class);
    }
}
