package org.sr2fhir.route;

import java.util.List;
import org.apache.camel.Exchange;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.dicomweb.DicomWebSource;
import org.sr2fhir.dicomweb.InstanceRef;
import org.sr2fhir.dicomweb.PollAbortedException;
import org.sr2fhir.dicomweb.RetrievedInstance;

/**
 * The steps of {@code routes/dicomweb-to-fhir.yaml} (bean {@code dicomWeb}): thin Camel adapters over
 * {@link DicomWebSource}, which holds the logic.
 */
public class DicomWebSteps {
    /** Exchange property carrying the {@link InstanceRef} in hand through {@code direct:sr-to-fhir}. */
    public static final String INSTANCE = "sr2fhirDicomWebInstance";

    private final DicomWebSource source;

    public DicomWebSteps(DicomWebSource source) {
        this.source = source;
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

    /** doCatch of any other exception: transient, so stop this poll and back off; nothing is recorded. */
    public void abortPoll(Exchange exchange) throws PollAbortedException {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        PollAbortedException aborted = findCause(caught, PollAbortedException.class);
        if (aborted != null) {
            throw aborted; // the source already backed off
        }
        InstanceRef ref = exchange.getProperty(INSTANCE, InstanceRef.class);
        throw source.abort("delivering " + (ref == null ? "an SR" : ref.sopInstanceUid()), caught);
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
