package org.sr2fhir.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.sr2fhir.config.Sr2FhirProperties;

class DeliveryRetryTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final DeliveryCounters counters = new DeliveryCounters(meters);
    private final FailureReport failureReport = new FailureReport(FhirContext.forR5Cached(), counters);
    private final DefaultCamelContext camel = new DefaultCamelContext();

    @Test
    void transientFailureIsRetriedWhileTheBudgetLastsAndEachRetryIsCounted() {
        DeliveryRetry retry = retry(Duration.ofMinutes(10));
        Exchange exchange = failedWith(new FhirClientConnectionException("Connection refused"));
        assertThat(retry.withinBudget(exchange)).isTrue();
        assertThat(retry.withinBudget(exchange)).isTrue();
        assertThat(meters.get("sr2fhir.reports.retried").counter().count()).isEqualTo(2);
    }

    @Test
    void budgetIsCountedFromTheFirstFailure() {
        DeliveryRetry retry = retry(Duration.ofMinutes(10));
        Exchange exchange = failedWith(new FhirClientConnectionException("Connection refused"));
        exchange.setProperty(DeliveryRetry.FIRST_FAILURE, System.currentTimeMillis() - Duration.ofMinutes(11).toMillis());
        assertThat(retry.withinBudget(exchange)).isFalse();
        assertThat(meters.get("sr2fhir.reports.retried").counter().count()).isZero();
    }

    @Test
    void zeroBudgetMeansNoRetry() {
        assertThat(retry(Duration.ZERO).withinBudget(failedWith(new FhirClientConnectionException("refused")))).isFalse();
    }

    @Test
    void permanentFailureIsNeverRetried() {
        assertThat(retry(Duration.ofMinutes(10)).withinBudget(failedWith(new UnprocessableEntityException("HTTP 422")))).isFalse();
    }

    @Test
    void aStopEndsTheWaitAndLeavesTheReasonForTheErrorFile() {
        // decision D54
        DeliveryRetry retry = retry(Duration.ofMinutes(10));
        Exchange exchange = failedWith(new FhirClientConnectionException("Connection refused"));
        retry.stop();
        assertThat(retry.isStopping()).isTrue();
        assertThat(retry.withinBudget(exchange)).isFalse();
        assertThat(exchange.getProperty(DeliveryRetry.GAVE_UP, String.class)).contains("stopped");
    }

    @Test
    void thePauseIsCamelsRedeliveryDelayNotASleep() {
        // decision D60: Camel waits it on the retry threads, the calling thread goes on at once
        DeliveryRetry retry = retry(Duration.ofMinutes(10));
        Exchange exchange = failedWith(new FhirClientConnectionException("Connection refused"));
        exchange.getMessage().setHeader(Exchange.REDELIVERY_COUNTER, 2);
        assertThat(retry.withinBudget(exchange)).isTrue();
        assertThat(exchange.getMessage().getHeader(Exchange.REDELIVERY_DELAY, Long.class)).isEqualTo(4L);
    }

    @Test
    void aStopRunsThePendingAttemptsAtOnce() throws InterruptedException {
        // decisions D54, D60: an attempt scheduled an hour ahead runs now
        DeliveryRetry retry = retry(Duration.ofMinutes(10));
        ScheduledExecutorService retries = camel.getRegistry().lookupByNameAndType(DeliveryExecutors.RETRIES,
                ScheduledExecutorService.class);
        CountDownLatch attempted = new CountDownLatch(1);
        retries.schedule(attempted::countDown, 1, TimeUnit.HOURS);
        assertThat(attempted.await(200, TimeUnit.MILLISECONDS)).isFalse();
        retry.stop();
        assertThat(attempted.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void serverErrorsInARowForOneReportAreBounded() {
        // decision D53: 3 attempts in these settings; an unreachable server in between resets the count
        DeliveryRetry retry = retry(Duration.ofMinutes(10));
        Exchange exchange = failedWith(new ca.uhn.fhir.rest.server.exceptions.InternalErrorException("HTTP 500"));
        assertThat(retry.withinBudget(exchange)).isTrue();
        assertThat(retry.withinBudget(exchange)).isTrue();
        exchange.setException(new FhirClientConnectionException("Connection refused"));
        assertThat(retry.withinBudget(exchange)).isTrue();
        exchange.setException(new ca.uhn.fhir.rest.server.exceptions.InternalErrorException("HTTP 500"));
        assertThat(retry.withinBudget(exchange)).isTrue();
        assertThat(retry.withinBudget(exchange)).isTrue();
        assertThat(retry.withinBudget(exchange)).isFalse();
        assertThat(exchange.getProperty(DeliveryRetry.GAVE_UP, String.class)).contains("HTTP 5xx 3 times in a row");
    }

    @Test
    void pausesDoubleUpToTheMaximum() {
        DeliveryRetry retry = retry(Duration.ofMinutes(10));
        assertThat(java.util.stream.IntStream.rangeClosed(1, 5).mapToLong(retry::pause).toArray()).containsExactly(1, 2, 4, 4, 4);
    }

    private DeliveryRetry retry(Duration budget) {
        Sr2FhirProperties properties = new Sr2FhirProperties(null, null, null, null, null,
                new Sr2FhirProperties.Delivery(budget, Duration.ofMillis(1), Duration.ofMillis(4), "unused", 1, 3, 1), null, null);
        return new DeliveryRetry(failureReport, counters, properties, new DeliveryExecutors(camel, properties));
    }

    private static Exchange failedWith(Exception exception) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(Exchange.FILE_NAME, "x.dcm");
        exchange.setException(exception);
        return exchange;
    }
}
