package org.sr2fhir.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.config.ClusterProperties;
import org.sr2fhir.delivery.DeliveryLog;
import org.sr2fhir.delivery.FailureReport;
import org.sr2fhir.journal.camel.JournalSteps;
import org.sr2fhir.tid1500.MeasurementReport;
import org.sr2fhir.tid1500.ReportReader;

/**
 * The steps of routes/kafka-cluster.yaml (bean {@code kafkaRecords}) that shape and account for the records of the
 * inputs and dead-letter topics: what a source puts on a record and what it refuses (decisions D78, D80), what a
 * worker reads from one, when it commits its offset (D79), and what a dead letter carries (D82). No Camel routing
 * here, only the records' contents; the routes say where they go.
 */
@Component("kafkaRecords")
public class KafkaRecords {
    /** Record header: where the input came from (inbox, dicomweb). */
    public static final String SOURCE = "sr2fhirSource";
    /** Record header: the input's name (inbox file name, DICOMweb SOP Instance UID + extension). */
    public static final String NAME = "sr2fhirName";
    /** Record header: when the source took the input (ISO-8601 instant). */
    public static final String RECEIVED = "sr2fhirReceived";
    /** Dead-letter headers (decision D82): why the report failed for good, and where its record was. */
    public static final String REASON = "sr2fhirReason";
    public static final String KIND = "sr2fhirKind";
    public static final String RETRYABLE = "sr2fhirRetryable";
    public static final String ORIGINAL_TOPIC = "sr2fhirOriginalTopic";
    public static final String ORIGINAL_PARTITION = "sr2fhirOriginalPartition";
    public static final String ORIGINAL_OFFSET = "sr2fhirOriginalOffset";
    /** The headers a record of the inputs topic carries; a resend puts back these and no others. */
    public static final List<String> INPUT_HEADERS = List.of(SOURCE, NAME, RECEIVED);

    /** Exchange property: the record as the worker took it (its offset to commit, its bytes for a dead letter). */
    static final String TAKEN = "sr2fhirKafkaRecord";
    /**
     * Bytes a record needs beyond its key, value and headers: the record's own framing and its batch's header
     * (61 bytes in the v2 format), rounded up so that a record that passes here never exceeds the limit.
     */
    static final int RECORD_OVERHEAD = 128;
    private static final Logger LOG = LoggerFactory.getLogger(KafkaRecords.class);

    private final ReportReader reader;
    private final JournalSteps journal;
    private final long maxRecordSize;

    public KafkaRecords(ReportReader reportReader, JournalSteps journal,
                        ClusterProperties cluster) {
        this.reader = reportReader;
        this.journal = journal;
        this.maxRecordSize = cluster.kafka().maxRecordSize().toBytes();
    }

    /** What a worker took: the record's place, its key and headers, the input's bytes, how to commit it. */
    record Taken(String topic, int partition, long offset, String key, Map<String, String> headers, byte[] input,
                 KafkaManualCommit commit) {
        String position() {
            return topic + "-" + partition + "@" + offset;
        }
    }

    /**
     * Source side, before the record is sent (body: the input's bytes; header sr2fhirSource set by the route): the
     * key is the Study Instance UID read from the input (so the reports of one study stay in order on one
     * partition), the headers name the input. An unreadable input is refused here, as in standalone mode; so is one
     * that would not fit in a record (decision D80): never half-sent.
     */
    public void prepare(Exchange exchange) throws InputRejectedException {
        Message message = exchange.getMessage();
        byte[] input = message.getBody(byte[].class);
        String name = message.getHeader(Exchange.FILE_NAME, String.class);
        MeasurementReport report = reader.read(input, name);
        String sopInstanceUid = report.document().header().sopInstanceUid();
        String studyInstanceUid = report.document().header().studyInstanceUid();
        exchange.setProperty(DeliveryLog.SR_INSTANCE_UID, sopInstanceUid);
        exchange.setProperty(JournalSteps.STUDY_INSTANCE_UID, studyInstanceUid);
        message.setHeader(KafkaConstants.KEY, studyInstanceUid);
        message.setHeader(NAME, name);
        message.setHeader(RECEIVED, Instant.now().toString());
        long size = input.length + RECORD_OVERHEAD + utf8(studyInstanceUid);
        for (String header : INPUT_HEADERS) {
            size += utf8(header) + utf8(message.getHeader(header, "", String.class));
        }
        if (size > maxRecordSize) {
            throw new InputRejectedException(name, sopInstanceUid, "too large for a Kafka record: " + input.length
                    + " bytes (" + size + " with its key, headers and framing), sr2fhir.cluster.kafka.max-record-size is "
                    + maxRecordSize + " bytes (raise it together with the topic's max.message.bytes and the "
                    + "workers' fetch limits, or deliver this report with a standalone instance)");
        }
    }

    /** Source side, once the broker acknowledged the record (acks=all): logged and journaled with its offset. */
    public void published(Exchange exchange) {
        String position = acknowledged(exchange);
        LOG.info("published {} (SR {}) as record {}", exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class),
                exchange.getProperty(DeliveryLog.SR_INSTANCE_UID, String.class), position);
        journal.published(exchange, position);
    }

    /**
     * Worker side, first step for each record: the input's name becomes the exchange's file name (every log line and
     * error text uses it), the record is kept aside for its commit and a possible dead letter, the journal gets a row.
     */
    public void received(Exchange exchange) {
        Message message = exchange.getMessage();
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header : INPUT_HEADERS) {
            String value = text(message.getHeader(header));
            if (value != null) {
                headers.put(header, value);
            }
        }
        Taken taken = new Taken(message.getHeader(KafkaConstants.TOPIC, String.class),
                message.getHeader(KafkaConstants.PARTITION, -1, Integer.class),
                message.getHeader(KafkaConstants.OFFSET, -1L, Long.class),
                text(message.getHeader(KafkaConstants.KEY)), Map.copyOf(headers), message.getBody(byte[].class),
                message.getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class));
        exchange.setProperty(TAKEN, taken);
        String name = headers.getOrDefault(NAME, taken.position());
        message.setHeader(Exchange.FILE_NAME, name);
        journal.recordReceived(exchange, name, taken.position());
    }

    /**
     * Worker side: the FHIR server committed the report, or its dead letter was acknowledged. Only now is the record's
     * offset committed (decision D79): a worker that dies before leaves it to the next one, which sends it again
     * (harmless: deterministic ids, decision D5).
     */
    public void commit(Exchange exchange) {
        Taken taken = exchange.getProperty(TAKEN, Taken.class);
        if (taken == null || taken.commit() == null) {
            throw new IllegalStateException("no record to commit: the worker's kafka endpoint needs allowManualCommit=true");
        }
        taken.commit().commit();
        LOG.debug("committed {}", taken.position());
    }

    /**
     * Worker side, in the failure handling, when sr2fhir is stopping while the report waited for a retry (decision
     * D54): the exchange fails, so the record is neither dead-lettered nor committed, and the next worker (or this one
     * after its restart) takes it (decision D79).
     */
    public void leaveUncommitted(Exchange exchange) throws RecordLeftUncommittedException {
        Taken taken = exchange.getProperty(TAKEN, Taken.class);
        throw new RecordLeftUncommittedException("sr2fhir is stopping: record " + (taken == null ? "?" : taken.position())
                + " (" + exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class) + ") is left uncommitted for "
                + "the next worker");
    }

    /** Fails a worker's exchange on purpose, so that its record stays uncommitted. */
    public static class RecordLeftUncommittedException extends Exception {
        RecordLeftUncommittedException(String message) {
            super(message);
        }
    }

    /**
     * Worker side: the message becomes the dead letter (decision D82): the input's bytes and key as they came, the
     * input's headers, and the failure (reason, kind, retryable) and the record's place in the inputs topic.
     */
    public void deadLetter(Exchange exchange) {
        Taken taken = exchange.getProperty(TAKEN, Taken.class);
        FailureReport.Failure failure = exchange.getProperty(FailureReport.FAILURE, FailureReport.Failure.class);
        Message message = exchange.getMessage();
        String name = message.getHeader(Exchange.FILE_NAME, String.class);
        message.removeHeaders("*");
        message.setHeader(Exchange.FILE_NAME, name);
        message.setBody(taken.input());
        if (taken.key() != null) {
            message.setHeader(KafkaConstants.KEY, taken.key());
        }
        taken.headers().forEach(message::setHeader);
        message.setHeader(REASON, failure == null ? "unknown" : failure.reason());
        message.setHeader(KIND, failure == null ? "failed" : failure.kind().name().toLowerCase().replace('_', '-'));
        message.setHeader(RETRYABLE, failure != null && failure.retryable() ? "yes" : "no");
        message.setHeader(ORIGINAL_TOPIC, taken.topic());
        message.setHeader(ORIGINAL_PARTITION, String.valueOf(taken.partition()));
        message.setHeader(ORIGINAL_OFFSET, String.valueOf(taken.offset()));
    }

    /** Worker side, once the dead letter was acknowledged: logged, and its place kept in the journal row. */
    public void deadLettered(Exchange exchange) {
        Taken taken = exchange.getProperty(TAKEN, Taken.class);
        String position = acknowledged(exchange);
        LOG.warn("dead-lettered {} (record {}) as {}", exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class),
                taken.position(), position);
        journal.recordPosition(exchange, position);
    }

    /** topic-partition@offset of the record the broker just acknowledged (camel-kafka's record metadata header). */
    private static String acknowledged(Exchange exchange) {
        List<?> metadata = exchange.getMessage().getHeader(KafkaConstants.KAFKA_RECORD_META, List.class);
        return metadata == null ? "?" : metadata.stream().filter(RecordMetadata.class::isInstance)
                .map(RecordMetadata.class::cast).map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                .findFirst().orElse("?");
    }

    /** A header as the consumer gives it (bytes, by camel-kafka's default deserializer) or as set (a String). */
    static String text(Object value) {
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return value == null ? null : value.toString();
    }

    private static int utf8(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }
}
