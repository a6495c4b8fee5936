package org.sr2fhir.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.sr2fhir.config.Sr2FhirProperties;

class DeliveryRetryTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final DeliveryCounters counters = new DeliveryCounters(meters);
    private final FailureReport failureReport = new FailureReport(FhirContext.forR5Cached(), counters);

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

    private DeliveryRetry retry(Duration budget) {
        Sr2FhirProperties properties = new Sr2FhirProperties(null, null, null, null, null,
                new Sr2FhirProperties.Delivery(budget, Duration.ofSeconds(1), Duration.ofMinutes(1), "unused", 1, 5), null, null);
        return new DeliveryRetry(failureReport, counters, properties);
    }

    private static Exchange failedWith(Exception exception) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(Exchange.FILE_NAME, "x.dcm");
        exchange.setException(exception);
        return exchange;
    }
}
