package org.sr2fhir.journal.camel;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import org.apache.camel.Exchange;
import org.hl7.fhir.r5.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.delivery.DeliveryLog;
import org.sr2fhir.delivery.FailureReport;
import org.sr2fhir.dicomweb.InstanceRef;
import org.sr2fhir.journal.Delivery;
import org.sr2fhir.journal.Failure;
import org.sr2fhir.journal.ReportJournal;
import org.sr2fhir.journal.ReportSource;
import org.sr2fhir.journal.ReportStatus;
import org.sr2fhir.route.ConversionReports;

/**
 * The routes' steps that write the report journal (bean {@code journal} in {@code routes/*.yaml}): one call per state
 * change, the row's id travelling with the exchange. The reason and the FHIR server's answer of a failure are those
 * {@link FailureReport} classified for the error file. A journal that cannot be written (database down) is logged
 * and never fails a report: delivery comes first, and readiness shows the database as DOWN.
 */
@Component("journal")
public class JournalSteps {
    /** Exchange property: the id of the input's journal row. */
    public static final String JOURNAL_ID = "sr2fhirJournalId";
    /** Exchange property the pipeline sets once the report is read: the SR's Study Instance UID. */
    public static final String STUDY_INSTANCE_UID = "studyInstanceUid";
    private static final Logger LOG = LoggerFactory.getLogger(JournalSteps.class);

    private final ReportJournal journal;
    private final FailureReport failureReport;

    public JournalSteps(ReportJournal journal, FailureReport failureReport) {
        this.journal = journal;
        this.failureReport = failureReport;
    }

    /** The inbox took a file (header CamelFileNameOnly). */
    public void fileReceived(Exchange exchange) {
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        write(exchange, () -> exchange.setProperty(JOURNAL_ID, journal.received(ReportSource.INBOX, name, null)));
    }

    /** The DICOMweb source is about to fetch an SR instance (body: its InstanceRef). */
    public void instanceReceived(Exchange exchange) {
        String uid = exchange.getMessage().getBody(InstanceRef.class).sopInstanceUid();
        write(exchange, () -> exchange.setProperty(JOURNAL_ID, journal.received(ReportSource.DICOMWEB, uid, uid)));
    }

    /** Kafka cluster mode, source: the broker acknowledged the input's record at {@code position}. */
    public void published(Exchange exchange, String position) {
        withRow(exchange, id -> journal.published(id, exchange.getProperty(DeliveryLog.SR_INSTANCE_UID, String.class),
                exchange.getProperty(STUDY_INSTANCE_UID, String.class), position));
    }

    /** Kafka cluster mode, worker: took the record at {@code position} holding the input {@code name}. */
    public void recordReceived(Exchange exchange, String name, String position) {
        write(exchange, () -> {
            long id = journal.received(ReportSource.KAFKA, name, null);
            exchange.setProperty(JOURNAL_ID, id);
            journal.kafkaRecord(id, position);
        });
    }

    /** Kafka cluster mode, worker: the input's record is now at {@code position} (its dead letter). */
    public void recordPosition(Exchange exchange, String position) {
        withRow(exchange, id -> journal.kafkaRecord(id, position));
    }

    /** The same content was delivered before: not sent again. */
    public void skippedDuplicate(Exchange exchange) {
        withRow(exchange, journal::skippedDuplicate);
    }

    /** The FHIR server committed the report; body: its transaction-response Bundles, one per part. */
    public void delivered(Exchange exchange) {
        List<?> body = exchange.getMessage().getBody(List.class);
        List<Bundle> responses = body == null ? List.of()
                : body.stream().filter(Bundle.class::isInstance).map(Bundle.class::cast).toList();
        Delivery delivery = new Delivery(exchange.getProperty(DeliveryLog.SR_INSTANCE_UID, String.class),
                exchange.getProperty(STUDY_INSTANCE_UID, String.class), DeliveryLog.statuses(responses),
                responses.stream().mapToInt(b -> b.getEntry().size()).sum(), resources(responses),
                exchange.getProperty(ConversionReports.SUMMARY, String.class),
                exchange.getProperty(ConversionReports.REPORT, String.class));
        withRow(exchange, id -> journal.delivered(id, delivery));
    }

    /**
     * The inbox's failure handling gave up on the input (after {@link FailureReport#describe}): rejected, or
     * failed-retryable when moving it back to the inbox may succeed.
     */
    public void failed(Exchange exchange) {
        FailureReport.Failure failure = failureOf(exchange);
        record(exchange, failure.retryable() ? ReportStatus.FAILED_RETRYABLE : ReportStatus.REJECTED, failure);
    }

    /** The attempt failed and the input ends (or waits) in {@code status}, as the source's glue decided. */
    public void failedWith(Exchange exchange, ReportStatus status) {
        record(exchange, status, failureOf(exchange));
    }

    /** Before each retry of the inbox route ({@link JournalRetrying}). */
    void retrying(Exchange exchange) {
        record(exchange, ReportStatus.RETRYING, failureOf(exchange));
    }

    private FailureReport.Failure failureOf(Exchange exchange) {
        FailureReport.Failure failure = exchange.getProperty(FailureReport.FAILURE, FailureReport.Failure.class);
        if (failure != null) {
            return failure;
        }
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return failureReport.classify(caught != null ? caught : exchange.getException());
    }

    private void record(Exchange exchange, ReportStatus status, FailureReport.Failure failure) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        InputRejectedException rejected = FailureReport.find(caught != null ? caught : exchange.getException(),
                InputRejectedException.class);
        String srUid = exchange.getProperty(DeliveryLog.SR_INSTANCE_UID, String.class);
        if (srUid == null && rejected != null) {
            srUid = rejected.sopInstanceUid();
        }
        Failure row = new Failure(status, srUid, exchange.getProperty(STUDY_INSTANCE_UID, String.class),
                failure.reason(), failure.operationOutcome());
        withRow(exchange, id -> journal.failed(id, row));
    }

    /** "Observation x12, ImagingSelection x4": the resources the server stored, from its answers' locations. */
    static String resources(List<Bundle> responses) {
        Map<String, Integer> counts = new TreeMap<>();
        responses.forEach(response -> response.getEntry().forEach(entry -> {
            String location = entry.hasResponse() ? entry.getResponse().getLocation() : null;
            if (location != null && location.indexOf('/') > 0) {
                counts.merge(location.substring(0, location.indexOf('/')), 1, Integer::sum);
            }
        }));
        StringBuilder text = new StringBuilder();
        counts.forEach((type, count) -> text.append(text.isEmpty() ? "" : ", ").append(type).append(" x").append(count));
        return text.toString();
    }

    private void withRow(Exchange exchange, LongConsumer write) {
        Long id = exchange.getProperty(JOURNAL_ID, Long.class);
        if (id != null) {
            write(exchange, () -> write.accept(id));
        }
    }

    private static void write(Exchange exchange, Runnable write) {
        try {
            write.run();
        } catch (DataAccessException e) {
            LOG.warn("journal not written for {}: {}", exchange.getMessage().getHeader(Exchange.FILE_NAME, "input",
                    String.class), e.getMostSpecificCause().getMessage());
        }
    }
}
