package org.sr2fhir.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.apache.camel.Exchange;
import org.apache.camel.component.direct.DirectConsumerNotAvailableException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.route.IgValidatorFailure;

class FailureReportTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final FailureReport report = new FailureReport(FhirContext.forR5Cached(), new DeliveryCounters(meters));

    /** Redaction is process-wide: values other tests of this JVM read must not change these texts. */
    @org.junit.jupiter.api.BeforeEach
    void forgetOtherTestsPatients() {
        org.sr2fhir.privacy.Redaction.forgetAll();
    }

    @Test
    void rejectedInputKeepsItsReason() {
        var failure = report.classify(new RuntimeException("wrapped by Camel",
                new InputRejectedException("a.dcm", "1.2.3", "Basic Text SR, not a TID 1500 measurement report")));
        assertThat(failure.kind()).isEqualTo(FailureReport.Kind.REJECTED);
        assertThat(failure.reason()).isEqualTo("a.dcm (SOP Instance UID 1.2.3): Basic Text SR, not a TID 1500 measurement report");
        assertThat(failure.operationOutcome()).isNull();
    }

    @Test
    void serverRefusalCarriesTheOperationOutcomeAsJson() {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.PROCESSING).setDiagnostics("HAPI-0450: bad reference");
        var failure = report.classify(new UnprocessableEntityException("HTTP 422", outcome));
        assertThat(failure.kind()).isEqualTo(FailureReport.Kind.REFUSED_BY_SERVER);
        assertThat(failure.reason()).contains("HTTP 422");
        assertThat(failure.operationOutcome()).contains("\"resourceType\": \"OperationOutcome\"").contains("HAPI-0450");
    }

    @Test
    void unreachableServerIsNotARefusal() {
        var failure = report.classify(new FhirClientConnectionException("Connection refused"));
        assertThat(failure.kind()).isEqualTo(FailureReport.Kind.SERVER_UNREACHABLE);
        assertThat(failure.reason()).startsWith("FHIR server not reachable");
        assertThat(failure.retryable()).isTrue();
    }

    @Test
    void onlyStatusesTheServerMayAnswerDifferentlyLaterAreRetryable() {
        assertThat(report.classify(new ResourceVersionConflictException("version conflict")).retryable()).isTrue();
        assertThat(report.classify(new InternalErrorException("database down")).retryable()).isTrue();
        assertThat(report.classify(new BaseServerResponseException(429, "slow down") { }).retryable()).isTrue();
        assertThat(report.classify(new BaseServerResponseException(408, "request timeout") { }).retryable()).isTrue();
        assertThat(report.classify(new UnprocessableEntityException("HTTP 422")).retryable()).isFalse();
        assertThat(report.classify(new ResourceNotFoundException("HTTP 404")).retryable()).isFalse();
        assertThat(report.classify(new InputRejectedException("a.dcm", null, "not DICOM")).retryable()).isFalse();
        assertThat(report.classify(new IllegalStateException("bug")).retryable()).isFalse();
        assertThat(report.classify(new DirectConsumerNotAvailableException("no consumer", null)).retryable()).isTrue();
    }

    @Test
    void errorFileSaysWhetherMovingTheFileBackHelpsAndTheFailureIsCounted() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(Exchange.FILE_NAME, "x.dcm");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new FhirClientConnectionException("Connection refused"));
        assertThat(report.describe(exchange)).contains("kind: server-unreachable")
                .contains("retryable: yes").contains("move this file back to the inbox");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new InputRejectedException("x.dcm", null, "not DICOM"));
        assertThat(report.describe(exchange)).contains("retryable: no");
        assertThat(meters.get("sr2fhir.reports.failed").tag("kind", "server-unreachable").tag("retryable", "true")
                .counter().count()).isEqualTo(1);
        assertThat(meters.get("sr2fhir.reports.failed").tag("kind", "rejected").counter().count()).isEqualTo(1);
    }

    @Test
    void errorFileTextStartsWithTheReasonAndNamesTheFile() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(Exchange.FILE_NAME, "x.dcm");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new IllegalStateException("boom"));
        String text = report.describe(exchange);
        assertThat(text.lines().findFirst()).contains("unexpected error: java.lang.IllegalStateException: boom");
        assertThat(text).contains("file: x.dcm").contains("kind: failed");
    }

    @Test
    void serverAnswersNamingThePatientAndLoneSurrogatesAreMadeSafe() {
        // decision D47: the server echoes the conditional reference; a JSON input may carry a lone surrogate
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.PROCESSING).setDiagnostics("HAPI-1091: Invalid match URL "
                        + "\"Patient?identifier=urn:sr2fhir:patient-id|PHI-67890\" - No resources match this search");
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(Exchange.FILE_NAME, "x.dcm");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new UnprocessableEntityException("HTTP 412", outcome));
        assertThat(report.describe(exchange)).doesNotContain("PHI-67890").contains("Patient?identifier=[redacted]");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new InputRejectedException("x.dcm", null, "bad text \ud800"));
        assertThat(report.describe(exchange)).contains("bad text \\ud800");
    }

    @Test
    void theValidatorsOwnFailureIsNeverTheServersAnswer() {
        // decision D52: HAPI wraps the validator's failure in InternalErrorException, which is HTTP 500
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(Exchange.FILE_NAME, "x.dcm");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new IgValidatorFailure("x.dcm", "1.2.3",
                new InternalErrorException("HAPI-0000: validator crashed")));
        var failure = report.classify(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        assertThat(failure.kind()).isEqualTo(FailureReport.Kind.FAILED);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.reason()).startsWith("x.dcm (SOP Instance UID 1.2.3): the IG validator failed on its Bundle "
                + "(a local failure; nothing was sent)");
        assertThat(report.describe(exchange)).doesNotContain("FHIR server refused").doesNotContain("HTTP 500")
                .contains("kind: failed").contains("retryable: no");
    }

    @Test
    void runningOutOfMemoryIsThatReportsFailureAndMayPassWithALargerHeap() {
        // decision D50: whatever wraps it, even a server exception; a stack overflow is the input's failure for good
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(Exchange.FILE_NAME, "big.dcm");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT,
                new InternalErrorException("HAPI-0000", new OutOfMemoryError("Java heap space")));
        var failure = report.classify(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        assertThat(failure.kind()).isEqualTo(FailureReport.Kind.FAILED);
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.reason()).contains("java.lang.OutOfMemoryError: Java heap space")
                .contains("out of memory: the maximum heap is");
        assertThat(report.describe(exchange)).contains("retryable: yes: give sr2fhir a larger heap")
                .doesNotContain("FHIR server refused");

        var overflow = report.classify(new RuntimeException(new StackOverflowError()));
        assertThat(overflow.kind()).isEqualTo(FailureReport.Kind.FAILED);
        assertThat(overflow.retryable()).isFalse();
        assertThat(overflow.reason()).contains("java.lang.StackOverflowError");
    }
}
