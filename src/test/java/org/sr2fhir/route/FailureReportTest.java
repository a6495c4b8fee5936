package org.sr2fhir.route;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.sr2fhir.InputRejectedException;

class FailureReportTest {
    private final FailureReport report = new FailureReport(FhirContext.forR5Cached());

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
}
