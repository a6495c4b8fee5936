package org.sr2fhir.route;

import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.component.direct.DirectConsumerNotAvailableException;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.dicomweb.DicomWebSource;
import org.sr2fhir.dicomweb.InstanceRef;
import org.sr2fhir.dicomweb.PollAbortedException;
import org.sr2fhir.dicomweb.RetrievedInstance;

/**
 * The steps of {@code routes/dicomweb-to-fhir.yaml} (bean {@code dicomWeb}): thin Camel adapters over
 * {@link DicomWebSource}, which holds the logic, plus the sorting of pipeline failures into "rejected for good",
 * "outage: stop and back off" and "unexpected: try again next poll".
 */
public class DicomWebSteps {
    /** Exchange property carrying the {@link InstanceRef} in hand through {@code direct:sr-to-fhir}. */
    public static final String INSTANCE = "sr2fhirDicomWebInstance";

    private final DicomWebSource source;
    private final FailureReport failureReport;

    public DicomWebSteps(DicomWebSource source, FailureReport failureReport) {
        this.source = source;
        this.failureReport = failureReport;
    }

    /** Timer step: the SR instances to fetch in this poll (empty while backing off). */
    public List<InstanceRef> listNewInstances() throws PollAbortedException {
        return source.listNewInstances();
    }

    /** Split step: body InstanceRef → body bytes for the reader, CamelFileName = label (SOP Instance UID). */
    public void fetch(Exchange exchange) throws InputRejectedException, PollAbortedException {
        InstanceRef ref = exchange.getMessage().getBody(InstanceRef.class);
        exchange.setProperty(INSTANCE, ref);
        RetrievedInstance instance = source.retrieve(ref);
        exchange.getMessage().setBody(instance.content());
        exchange.getMessage().setHeader(Exchange.FILE_NAME, instance.label());
    }

    /** After {@code direct:sr-to-fhir} returned normally: the report is on the FHIR server. */
    public void recordDelivered(Exchange exchange) {
        source.delivered(exchange.getProperty(INSTANCE, InstanceRef.class));
    }

    /** doCatch of InputRejectedException: record the reason, go on with the next SR. */
    public void recordRejected(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        InputRejectedException rejection = findCause(caught, InputRejectedException.class);
        source.rejected(exchange.getProperty(INSTANCE, InstanceRef.class),
                rejection != null ? rejection.reason() : String.valueOf(caught));
    }

    /**
     * doCatch of every other exception. A refusal by the FHIR server that resending cannot change (4xx other than
     * 408/409/429) is recorded as rejected; an outage (archive or FHIR server unreachable, 5xx, 408/409/429, the
     * pipeline route not running, I/O errors) stops the poll and backs off; anything else is retried in the next
     * polls up to {@code max-attempts}, without holding up the other SRs.
     */
    public void recordFailure(Exchange exchange) throws PollAbortedException {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        PollAbortedException aborted = findCause(caught, PollAbortedException.class);
        if (aborted != null) {
            throw aborted; // the source already backed off
        }
        InstanceRef ref = exchange.getProperty(INSTANCE, InstanceRef.class);
        String reason = failureReport.classify(caught).reason();
        BaseServerResponseException refused = findCause(caught, BaseServerResponseException.class);
        if (refused != null && !(refused instanceof FhirClientConnectionException)) {
            int status = refused.getStatusCode();
            if (status >= 400 && status < 500 && status != 408 && status != 409 && status != 429) {
                // the OperationOutcome is not kept: its diagnostics may echo patient identifiers (decision D21)
                source.rejected(ref, "FHIR server refused the transaction with HTTP " + status);
                return;
            }
            throw source.abort("delivering " + ref.sopInstanceUid(), caught);
        }
        if (isOutage(caught)) {
            throw source.abort("delivering " + (ref == null ? "an SR" : ref.sopInstanceUid()), caught);
        }
        source.failedUnexpectedly(ref, reason);
    }

    private static boolean isOutage(Throwable caught) {
        return findCause(caught, FhirClientConnectionException.class) != null
                || findCause(caught, IOException.class) != null
                || findCause(caught, UncheckedIOException.class) != null
                || findCause(caught, RejectedExecutionException.class) != null
                // sr-to-fhir not running, e.g. while its YAML file is being reloaded
                || findCause(caught, DirectConsumerNotAvailableException.class) != null;
    }

    private static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
