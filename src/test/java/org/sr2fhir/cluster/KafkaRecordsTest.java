package org.sr2fhir.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.config.ClusterProperties;
import org.sr2fhir.delivery.DeliveryCounters;
import org.sr2fhir.delivery.FailureReport;
import org.sr2fhir.journal.TestJournals;
import org.sr2fhir.journal.camel.JournalSteps;
import org.sr2fhir.tid1500.ReportReader;

/** What a source puts on a record and refuses (D78, D80), and what a dead letter carries (D82). */
class KafkaRecordsTest {
    private static final Path CORPUS = Paths.get(System.getProperty("sr2fhir.shared.dir", "../shared"), "corpus", "sr");
    private static final String SR = "gen_dcmjs-cs3d_Length.dcm";

    private final FailureReport failureReport = new FailureReport(FhirContext.forR5Cached(),
            new DeliveryCounters(new SimpleMeterRegistry()));
    private final DefaultCamelContext camel = new DefaultCamelContext();

    private KafkaRecords records(DataSize maxRecordSize) {
        ClusterProperties cluster = new ClusterProperties(ClusterProperties.Mode.KAFKA, ClusterProperties.Role.BOTH,
                new ClusterProperties.Kafka("127.0.0.1:9092", "in", "dead", "workers", maxRecordSize),
                new ClusterProperties.Leader(ClusterProperties.LeaderService.FILE, "sr2fhir", Path.of("cluster")));
        return new KafkaRecords(new ReportReader(), new JournalSteps(TestJournals.inMemory(), failureReport), cluster);
    }

    private Exchange input(byte[] content) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(content);
        exchange.getMessage().setHeader(Exchange.FILE_NAME, SR);
        exchange.getMessage().setHeader(KafkaRecords.SOURCE, "inbox");
        return exchange;
    }

    @Test
    void theKeyIsTheStudyInstanceUidAndTheHeadersNameTheInput() throws Exception {
        byte[] content = Files.readAllBytes(CORPUS.resolve(SR));
        Exchange exchange = input(content);
        records(DataSize.ofMegabytes(1)).prepare(exchange);
        String study = new ReportReader().read(content, SR).document().header().studyInstanceUid();
        assertThat(exchange.getMessage().getHeader(KafkaConstants.KEY)).isEqualTo(study);
        assertThat(exchange.getMessage().getHeader(KafkaRecords.NAME)).isEqualTo(SR);
        assertThat(exchange.getMessage().getHeader(KafkaRecords.RECEIVED, String.class)).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(exchange.getMessage().getBody(byte[].class)).isSameAs(content);
    }

    @Test
    void anInputThatWouldNotFitInARecordIsRefusedSayingWhy() throws Exception {
        byte[] content = Files.readAllBytes(CORPUS.resolve(SR));
        KafkaRecords justTooSmall = records(DataSize.ofBytes(content.length + KafkaRecords.RECORD_OVERHEAD));
        assertThatThrownBy(() -> justTooSmall.prepare(input(content)))
                .isInstanceOf(InputRejectedException.class)
                .hasMessageContaining("too large for a Kafka record: " + content.length + " bytes")
                .hasMessageContaining("sr2fhir.cluster.kafka.max-record-size is " + (content.length + KafkaRecords.RECORD_OVERHEAD));
        // with room for the key and headers too, it passes
        records(DataSize.ofBytes(content.length + KafkaRecords.RECORD_OVERHEAD + 512)).prepare(input(content));
    }

    @Test
    void anUnreadableInputIsRefusedAtTheSource() {
        assertThatThrownBy(() -> records(DataSize.ofMegabytes(1)).prepare(input("not dicom".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(InputRejectedException.class);
    }

    @Test
    void aDeadLetterCarriesTheInputAsTakenAndTheFailure() throws Exception {
        byte[] content = Files.readAllBytes(CORPUS.resolve(SR));
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(content);
        exchange.getMessage().setHeader(KafkaConstants.TOPIC, "in");
        exchange.getMessage().setHeader(KafkaConstants.PARTITION, 2);
        exchange.getMessage().setHeader(KafkaConstants.OFFSET, 41L);
        exchange.getMessage().setHeader(KafkaConstants.KEY, "1.2.3");
        exchange.getMessage().setHeader(KafkaRecords.NAME, SR.getBytes(StandardCharsets.UTF_8));
        exchange.getMessage().setHeader(KafkaRecords.SOURCE, "inbox".getBytes(StandardCharsets.UTF_8));
        KafkaRecords records = records(DataSize.ofMegabytes(1));
        records.received(exchange);
        assertThat(exchange.getMessage().getHeader(Exchange.FILE_NAME)).isEqualTo(SR);

        // the pipeline replaced the body and added headers of its own before it failed
        exchange.getMessage().setBody("response bundles");
        exchange.getMessage().setHeader("CamelFhir.something", "x");
        exchange.setProperty(FailureReport.FAILURE, failureReport.classify(
                new InputRejectedException(SR, "1.2", "no Patient ID (0010,0020)")));
        records.deadLetter(exchange);

        assertThat(exchange.getMessage().getBody(byte[].class)).isEqualTo(content);
        assertThat(exchange.getMessage().getHeaders()).containsOnlyKeys(Exchange.FILE_NAME, KafkaConstants.KEY,
                KafkaRecords.NAME, KafkaRecords.SOURCE, KafkaRecords.REASON, KafkaRecords.KIND, KafkaRecords.RETRYABLE,
                KafkaRecords.ORIGINAL_TOPIC, KafkaRecords.ORIGINAL_PARTITION, KafkaRecords.ORIGINAL_OFFSET);
        assertThat(exchange.getMessage().getHeader(KafkaConstants.KEY)).isEqualTo("1.2.3");
        assertThat(exchange.getMessage().getHeader(KafkaRecords.NAME)).isEqualTo(SR);
        assertThat(exchange.getMessage().getHeader(KafkaRecords.REASON, String.class)).contains("no Patient ID");
        assertThat(exchange.getMessage().getHeader(KafkaRecords.KIND)).isEqualTo("rejected");
        assertThat(exchange.getMessage().getHeader(KafkaRecords.RETRYABLE)).isEqualTo("no");
        assertThat(exchange.getMessage().getHeader(KafkaRecords.ORIGINAL_PARTITION)).isEqualTo("2");
        assertThat(exchange.getMessage().getHeader(KafkaRecords.ORIGINAL_OFFSET)).isEqualTo("41");
    }
}
