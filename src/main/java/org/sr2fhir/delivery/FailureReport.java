package org.sr2fhir.delivery;

import org.sr2fhir.route.IgValidationException;
import org.sr2fhir.route.IgValidatorFailure;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.RejectedExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.component.direct.DirectConsumerNotAvailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.fhirclient.ConnectionFailure;
import org.sr2fhir.privacy.Redaction;

/**
 * Classifies why an input failed and writes the text of its {@code <name>.error.txt}: the reason in one line,
 * then, when the FHIR server answered with one, its OperationOutcome as JSON. Logs one line per failure; only
 * unexpected errors carry a stack trace. The log names the file and the server's status, never the
 * OperationOutcome's diagnostics, which may echo patient identifiers (decision D21); those go to the error file,
 * which sits next to the input that holds the same data anyway.
 * <p>
 * It also decides what is worth retrying (issue 6): a server that is down, slow, overloaded (408, 429, 5xx) or in a
 * version conflict (409) may take the same transaction later; a bad input or any other 4xx will not.
 */
@Component("failureReport")
public class FailureReport {
    /**
     * Exchange property: the {@link Failure} of the exchange's last failed attempt, as classified here for its error
     * file, its retry decision and its journal row (one source for all three).
     */
    public static final String FAILURE = "sr2fhirFailure";
    private static final Logger LOG = LoggerFactory.getLogger(FailureReport.class);

    /** What kind of failure. */
    public enum Kind {
        /** the input itself is unusable (InputRejectedException): retrying cannot help */
        REJECTED,
        /** the FHIR server answered with an error status */
        REFUSED_BY_SERVER,
        /** the FHIR server could not be reached or did not answer in time */
        SERVER_UNREACHABLE,
        /** a bug or an unforeseen condition */
        FAILED
    }

    /**
     * One classified failure; {@code operationOutcome} is the server's OperationOutcome as JSON, or null;
     * {@code retryable}: sending the same input again later may succeed.
     */
    public record Failure(Kind kind, String reason, String operationOutcome, boolean retryable) {
        /** Decision D47: the reason and the server's answer quote inputs and patients; both are redacted here. */
        public Failure {
            reason = Redaction.redact(reason);
            operationOutcome = Redaction.redact(operationOutcome);
        }
    }

    private final FhirContext fhirContext;
    private final DeliveryCounters counters;

    public FailureReport(FhirContext fhirContext, DeliveryCounters counters) {
        this.fhirContext = fhirContext;
        this.counters = counters;
    }

    /** The error file's text for the exception the exchange failed with; also logs the failure. */
    public String describe(Exchange exchange) {
        Throwable exception = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (exception == null) {
            exception = exchange.getException();
        }
        String file = exchange.getMessage().getHeader(Exchange.FILE_NAME, "input", String.class);
        Failure failure = classify(exception);
        exchange.setProperty(FAILURE, failure);
        counters.failed(failure);
        switch (failure.kind()) {
            case REJECTED -> LOG.warn("rejected {}", failure.reason());
            case FAILED -> LOG.error("failed {}: {}", file, failure.reason(), exception);
            default -> LOG.error("failed {}: {}", file, failure.reason());
        }
        StringBuilder text = new StringBuilder()
                .append(failure.reason()).append('\n')
                .append('\n')
                .append("file: ").append(file).append('\n')
                .append("kind: ").append(failure.kind().name().toLowerCase().replace('_', '-')).append('\n')
                .append("retryable: ").append(retryable(failure, exception,
                        exchange.getProperty(DeliveryRetry.GAVE_UP, String.class))).append('\n')
                .append("time: ").append(OffsetDateTime.now(ZoneOffset.UTC)).append('\n');
        IgValidationException invalid = find(exception, IgValidationException.class);
        if (invalid != null) {
            text.append('\n').append("IG validation errors:\n");
            invalid.issues().forEach(issue -> text.append(issue).append('\n'));
        }
        if (failure.operationOutcome() != null) {
            text.append('\n').append("OperationOutcome from the FHIR server:\n").append(failure.operationOutcome()).append('\n');
        }
        // decision D47: the file name and validator issues too; lone surrogates escaped so the file can be written
        return Redaction.redact(text.toString());
    }

    /** The error file's "retryable:" line: yes or no, and what that means for this failure. */
    private static String retryable(Failure failure, Throwable exception, String gaveUp) {
        if (!failure.retryable()) {
            return "no: sending it again as it is will fail the same way";
        }
        if (gaveUp != null) {
            return "yes: " + gaveUp; // decisions D53, D54: the retries stopped early
        }
        if (find(exception, OutOfMemoryError.class) != null) {
            return "yes: give sr2fhir a larger heap (-Xmx, README \"Memory\") and move this file back to the inbox";
        }
        if (failure.kind() == Kind.REJECTED) {
            // decision D26: e.g. the ImagingStudy is not on the FHIR server yet; not retried automatically
            return "yes: " + find(exception, InputRejectedException.class).retryHint();
        }
        return "yes: the FHIR server did not take it within sr2fhir.delivery.retry-budget; move this file back to the "
                + "inbox to send it again";
    }

    /**
     * Sorts a failure. A rejection is retryable only when the input may pass later as it is (it then carries a retry
     * hint, decision D26); the inbox never retries a rejection by itself ({@link DeliveryRetry}).
     */
    public Failure classify(Throwable exception) {
        InputRejectedException rejected = find(exception, InputRejectedException.class);
        if (rejected != null) {
            return new Failure(Kind.REJECTED, rejected.getMessage(), null, rejected.retryHint() != null);
        }
        // decisions D50, D52: a local failure (the validator, the heap) is never blamed on the FHIR server, whatever
        // HAPI exception wraps it; out of memory may pass with a larger heap, so it is marked retryable
        OutOfMemoryError outOfMemory = find(exception, OutOfMemoryError.class);
        IgValidatorFailure validatorFailed = find(exception, IgValidatorFailure.class);
        if (outOfMemory != null || validatorFailed != null) {
            String reason = validatorFailed != null ? validatorFailed.getMessage() : "unexpected error: " + outOfMemory;
            return new Failure(Kind.FAILED, outOfMemory == null ? reason : reason + " (out of memory: the maximum "
                    + "heap is " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB)", null, outOfMemory != null);
        }
        // FhirClientConnectionException is itself a BaseServerResponseException (status 0): test it first
        FhirClientConnectionException unreachable = find(exception, FhirClientConnectionException.class);
        if (unreachable != null) {
            return new Failure(Kind.SERVER_UNREACHABLE, "FHIR server not reachable: " + ConnectionFailure.describe(unreachable), null, true);
        }
        BaseServerResponseException refused = find(exception, BaseServerResponseException.class);
        if (refused != null) {
            String outcome = refused.getOperationOutcome() == null ? refused.getResponseBody()
                    : fhirContext.newJsonParser().setPrettyPrint(true).encodeResourceToString(refused.getOperationOutcome());
            return new Failure(Kind.REFUSED_BY_SERVER,
                    "FHIR server refused the transaction with HTTP " + refused.getStatusCode()
                            + (outcome == null ? ": " + refused.getMessage() : " (OperationOutcome below)"),
                    outcome, isTransient(refused.getStatusCode()));
        }
        // Kafka cluster mode (decision D78): a broker that is down, or has no leader for the partition yet, may take the
        // record later; any other Kafka error (e.g. a record the topic refuses as too large) will not
        org.apache.kafka.common.KafkaException kafka = find(exception, org.apache.kafka.common.KafkaException.class);
        if (kafka != null) {
            boolean passing = kafka instanceof org.apache.kafka.common.errors.RetriableException
                    || find(exception, org.apache.kafka.common.errors.RetriableException.class) != null;
            return new Failure(Kind.FAILED, "the Kafka broker did not take the record: " + kafka.getClass().getSimpleName()
                    + (kafka.getMessage() == null ? "" : ": " + kafka.getMessage()), null, passing);
        }
        Throwable root = exception;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // the pipeline route is being reloaded, or the application is shutting down: try again
        boolean pipelineAway = find(exception, DirectConsumerNotAvailableException.class) != null
                || find(exception, RejectedExecutionException.class) != null;
        return new Failure(Kind.FAILED, "unexpected error: " + (root == null ? "unknown"
                : root.getClass().getName() + (root.getMessage() == null ? "" : ": " + root.getMessage())), null,
                pipelineAway);
    }

    /** 408 Request Timeout, 409 Conflict (a concurrent version), 429 Too Many Requests and every 5xx pass. */
    static boolean isTransient(int status) {
        return status == 408 || status == 409 || status == 429 || status >= 500;
    }

    /** The first exception of {@code type} in {@code exception}'s cause chain, outermost first, or null. */
    public static <T extends Throwable> T find(Throwable exception, Class<T> type) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
