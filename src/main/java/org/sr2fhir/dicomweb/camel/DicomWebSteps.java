package org.sr2fhir.dicomweb.camel;

import org.sr2fhir.delivery.FailureReport;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.hc.core5.http.HttpHeaders;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.delivery.ReportSequencer;
import org.sr2fhir.delivery.ReportTurns;
import org.sr2fhir.dicomweb.DicomWebClient;
import org.sr2fhir.dicomweb.DicomWebSource;
import org.sr2fhir.dicomweb.InstanceRef;
import org.sr2fhir.dicomweb.PollAbortedException;
import org.sr2fhir.dicomweb.RetrievedInstance;
import org.sr2fhir.journal.ReportStatus;
import org.sr2fhir.journal.camel.JournalSteps;

/**
 * The steps of {@code routes/dicomweb-to-fhir.yaml} (bean {@code dicomWeb}): thin Camel adapters over
 * {@link DicomWebSource}, which holds the logic, plus the sorting of pipeline failures into "rejected for good",
 * "outage: stop and back off" and "unexpected: try again next poll", which it also writes to the report journal.
 */
public class DicomWebSteps {
    /** Exchange property carrying the {@link InstanceRef} in hand through {@code direct:sr-to-fhir}. */
    public static final String INSTANCE = "sr2fhirDicomWebInstance";
    /** Exchange property carrying the WADO-RS request of the instance through {@code direct:dicomweb-fetch}. */
    static final String RETRIEVAL = "sr2fhirDicomWebRetrieval";

    private final DicomWebSource source;
    private final FailureReport failureReport;
    private final JournalSteps journal;
    private final ReportTurns turns;

    public DicomWebSteps(DicomWebSource source, FailureReport failureReport, JournalSteps journal, ReportTurns turns) {
        this.source = source;
        this.failureReport = failureReport;
        this.journal = journal;
        this.turns = turns;
    }

    /** Timer step: the SR instances to fetch in this poll (empty while backing off). */
    public List<InstanceRef> listNewInstances() throws PollAbortedException {
        return source.listNewInstances();
    }

    /**
     * onPrepare of the poll's parallel split (bean {@code dicomWebTurns}): the SR's place in line among the reports of
     * its study, from every source (decision D62). The split makes its exchanges in listing order on the poll's
     * thread before it hands any to a thread, so one study's SRs keep that order; no fetch is needed, QIDO-RS gave
     * the study. The ticket is released by {@code reportTurns.release} when the SR ended.
     */
    public void takeTurn(Exchange exchange) {
        InstanceRef ref = exchange.getMessage().getBody(InstanceRef.class);
        turns.takeKnown(exchange, Set.of(ReportSequencer.studyKey(ref.studyInstanceUid())));
    }

    /** Filter before each SR: false once an SR of this poll met an outage (the SRs not started wait for the next). */
    public boolean pollGoesOn() {
        return source.pollGoesOn();
    }

    /**
     * First step of {@code direct:dicomweb-fetch}: body InstanceRef → the WADO-RS resource and Accept header of the
     * configured fetch-mode for {@code direct:dicomweb-get}. The exchange's other headers are dropped, so only
     * Accept is sent to the archive.
     */
    public void prepareFetch(Exchange exchange) {
        InstanceRef ref = exchange.getMessage().getBody(InstanceRef.class);
        DicomWebClient.Retrieval retrieval = source.retrieval(ref);
        exchange.setProperty(INSTANCE, ref);
        exchange.setProperty(RETRIEVAL, retrieval);
        exchange.setProperty(DicomWebHttp.RESOURCE, retrieval.resource());
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setBody(null);
        message.setHeader(HttpHeaders.ACCEPT, retrieval.accept());
    }

    /**
     * After the GET: the answer (multipart/related or DICOM JSON) → body bytes for the reader, CamelFileName = label
     * (SOP Instance UID + extension), and nothing else: the archive's response headers stay behind.
     */
    public void unpack(Exchange exchange) throws IOException {
        Message message = exchange.getMessage();
        RetrievedInstance instance;
        try (InputStream body = message.getMandatoryBody(InputStream.class)) {
            instance = source.retrieved(exchange.getProperty(INSTANCE, InstanceRef.class),
                    exchange.getProperty(RETRIEVAL, DicomWebClient.Retrieval.class),
                    message.getHeader(Exchange.CONTENT_TYPE, String.class), body);
        } catch (InvalidPayloadException e) {
            throw new IOException("WADO-RS answer without a body", e);
        }
        message.removeHeaders("*");
        message.setBody(instance.content());
        message.setHeader(Exchange.FILE_NAME, instance.label());
    }

    /**
     * doCatch of {@code direct:dicomweb-fetch}: an instance gone from the archive (HTTP 404/410) is rejected, any
     * other failure of the GET or of reading its answer aborts the poll. Always throws.
     */
    public void fetchFailed(Exchange exchange) throws InputRejectedException, PollAbortedException {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        source.fetchFailed(exchange.getProperty(INSTANCE, InstanceRef.class),
                DicomWebHttp.asIOException(caught, exchange.getProperty(DicomWebHttp.RESOURCE, String.class)));
    }

    /** After {@code direct:sr-to-fhir} returned normally: the report is on the FHIR server. */
    public void recordDelivered(Exchange exchange) {
        source.delivered(exchange.getProperty(INSTANCE, InstanceRef.class));
    }

    /** doCatch of InputRejectedException: record the reason, go on with the next SR. */
    public void recordRejected(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        InputRejectedException rejection = FailureReport.find(caught, InputRejectedException.class);
        source.rejected(exchange.getProperty(INSTANCE, InstanceRef.class),
                rejection != null ? rejection.reason() : String.valueOf(caught));
        journal.failedWith(exchange, ReportStatus.REJECTED);
    }

    /**
     * doCatch of every other exception. A refusal by the FHIR server that resending cannot change (4xx other than
     * 408/409/429) is recorded as rejected; an outage (archive or FHIR server unreachable, 5xx, 408/409/429, the
     * pipeline route not running, I/O errors) stops the poll and backs off; anything else is retried in the next
     * polls up to {@code max-attempts}, without holding up the other SRs.
     */
    public void recordFailure(Exchange exchange) throws PollAbortedException {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        PollAbortedException aborted = FailureReport.find(caught, PollAbortedException.class);
        if (aborted != null) {
            journal.failedWith(exchange, ReportStatus.FAILED_RETRYABLE);
            throw aborted; // the source already backed off
        }
        InstanceRef ref = exchange.getProperty(INSTANCE, InstanceRef.class);
        // the same sorting as the inbox's retries: what may succeed later stops the poll and backs off
        FailureReport.Failure failure = failureReport.classify(caught);
        if (failure.retryable() || isArchiveIoFailure(caught)) {
            journal.failedWith(exchange, ReportStatus.FAILED_RETRYABLE);
            throw source.abort("delivering " + (ref == null ? "an SR" : ref.sopInstanceUid()), caught);
        }
        BaseServerResponseException refused = FailureReport.find(caught, BaseServerResponseException.class);
        if (failure.kind() == FailureReport.Kind.REFUSED_BY_SERVER && refused != null) {
            // the OperationOutcome is not kept: its diagnostics may echo patient identifiers (decision D21)
            source.rejected(ref, "FHIR server refused the transaction with HTTP " + refused.getStatusCode());
            journal.failedWith(exchange, ReportStatus.REJECTED);
            return;
        }
        boolean rejected = source.failedUnexpectedly(ref, failure.reason());
        journal.failedWith(exchange, rejected ? ReportStatus.REJECTED : ReportStatus.FAILED_RETRYABLE);
    }

    private static boolean isArchiveIoFailure(Throwable caught) {
        return FailureReport.find(caught, IOException.class) != null
                || FailureReport.find(caught, UncheckedIOException.class) != null;
    }
}
