package org.sr2fhir.delivery;

import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.sr2fhir.config.Sr2FhirProperties;

/**
 * The {@code retryWhile} of the inbox route's error handling (issue 6): an input is sent again while its failure is
 * transient (see {@link FailureReport#classify}) and the retry budget, counted from its first failure, is not spent.
 * It also sets the back-off pause (initial-backoff, doubling, at most max-backoff) in the header CamelRedeliveryDelay;
 * Camel waits it asynchronously on the retry threads ({@link DeliveryExecutors#RETRIES}, decision D60), so a waiting
 * report holds up no other. A stop ends the pending pauses at once (decision D54, as amended by D60): their attempts
 * run now, and a failure then is final, so a report waiting for a server that is down reaches error/ while Camel
 * still runs, instead of holding the shutdown until Camel's timeout forced it and stranding the input.
 * It gives up early, leaving the input in error/ marked retryable, when the application is stopping (D54) or when
 * the server keeps answering this report with HTTP 5xx while it is reachable (D53). A restart starts a new budget,
 * since the file is then still in the inbox.
 */
@Component("deliveryRetry")
public class DeliveryRetry {
    /** Exchange property: epoch millis of the input's first failure. */
    static final String FIRST_FAILURE = "sr2fhirFirstFailure";
    /** Exchange property: how many HTTP 5xx answers in a row this input got. */
    static final String SERVER_ERRORS = "sr2fhirServerErrors";
    /** Exchange property: why the retries stopped early (the error file's "retryable: yes: ..." text). */
    public static final String GAVE_UP = "sr2fhirGaveUp";
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryRetry.class);

    private final FailureReport failureReport;
    private final DeliveryCounters counters;
    private final Sr2FhirProperties.Delivery settings;
    private final DeliveryExecutors executors;
    private volatile boolean stopping;

    public DeliveryRetry(FailureReport failureReport, DeliveryCounters counters, Sr2FhirProperties properties,
                         DeliveryExecutors executors) {
        this.failureReport = failureReport;
        this.counters = counters;
        this.settings = properties.delivery();
        this.executors = executors;
    }

    /**
     * Decision D54: the application is closing (SIGTERM). Runs before anything else stops, Camel included, so a
     * report waiting for its next attempt makes it now (D60) and, failing, gives up and reaches error/ with its reason
     * while Camel still runs.
     */
    @EventListener(ContextClosedEvent.class)
    @Order(Ordered.HIGHEST_PRECEDENCE)
    public void stop() {
        stopping = true;
        executors.endPendingPauses();
    }

    /** Whether the application is closing (decision D54); a Kafka worker then leaves its record uncommitted (D79). */
    public boolean isStopping() {
        return stopping;
    }

    /** True: send the input again after the pause this sets (CamelRedeliveryDelay); false: the failure handling. */
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
        if (stopping) {
            return giveUp(exchange, "sr2fhir was stopped while this report waited for a retry; move this file back to "
                    + "the inbox (or leave it: nothing of it was committed) to send it again");
        }
        long now = System.currentTimeMillis();
        long firstFailure = exchange.getProperty(FIRST_FAILURE, now, Long.class);
        exchange.setProperty(FIRST_FAILURE, firstFailure);
        long spent = now - firstFailure;
        Duration budget = settings.retryBudget();
        if (spent >= budget.toMillis()) {
            LOG.warn("giving up on {} after {} s of retries: {}", fileName(exchange), spent / 1000, failure.reason());
            return false;
        }
        // decision D53: a server that answers, but with 5xx to this report every time, will not take it by waiting
        int serverErrors = isServerError(exception) ? exchange.getProperty(SERVER_ERRORS, 0, Integer.class) + 1 : 0;
        exchange.setProperty(SERVER_ERRORS, serverErrors);
        if (serverErrors >= settings.serverErrorAttempts()) {
            LOG.warn("giving up on {} after {} HTTP 5xx answers in a row: {}", fileName(exchange), serverErrors,
                    failure.reason());
            return giveUp(exchange, "the FHIR server answered this report with HTTP 5xx " + serverErrors + " times in a "
                    + "row (sr2fhir.delivery.server-error-attempts) while taking others; check the server's log, then "
                    + "move this file back to the inbox to send it again");
        }
        int attempt = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1;
        long pause = pause(attempt);
        LOG.warn("retrying {} in {} ms (attempt {}, {} s of the {} s budget left): {}", fileName(exchange), pause, attempt,
                (budget.toMillis() - spent) / 1000, budget.toSeconds(), failure.reason());
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, pause);
        counters.retried();
        return true;
    }

    /** initial-backoff before the first retry, doubling for each next one, at most max-backoff. */
    long pause(int attempt) {
        long initial = settings.initialBackoff().toMillis();
        long max = settings.maxBackoff().toMillis();
        long pause = initial;
        for (int i = 1; i < attempt && pause < max; i++) {
            pause *= 2;
        }
        return Math.min(pause, max);
    }

    private static boolean giveUp(Exchange exchange, String why) {
        exchange.setProperty(GAVE_UP, why);
        return false;
    }

    private static boolean isServerError(Throwable exception) {
        BaseServerResponseException refused = FailureReport.find(exception, BaseServerResponseException.class);
        return refused != null && !(refused instanceof FhirClientConnectionException) && refused.getStatusCode() >= 500;
    }

    private static String fileName(Exchange exchange) {
        return exchange.getMessage().getHeader(Exchange.FILE_NAME, "input", String.class);
    }
}
