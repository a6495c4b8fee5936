package org.sr2fhir.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.sr2fhir.Sr2FhirApplication;
import org.sr2fhir.cluster.KafkaBroker;
import org.sr2fhir.cluster.KafkaRecords;
import org.sr2fhir.journal.JournalQuery;
import org.sr2fhir.journal.ReportJournal;
import org.sr2fhir.journal.ReportSource;
import org.sr2fhir.journal.ReportStatus;
import org.sr2fhir.route.TestFolders;
import org.sr2fhir.tid1500.SopClass;

/**
 * Issue 15, the DICOMweb source in Kafka cluster mode, the whole application in-process as a source instance against
 * the in-test archive and a real Kafka broker: the poller runs under {@code master:} once this instance is the
 * elected leader (file lock cluster service, decision D81), publishes each SR as a record keyed by its Study Instance
 * UID, and checkpoints it once the broker acknowledged it (D78). The standalone poller and inbox, and the worker, do
 * not exist in this role.
 */
@CamelSpringBootTest
@SpringBootTest(classes = Sr2FhirApplication.class, properties = {
        "sr2fhir.cluster.mode=kafka",
        "sr2fhir.cluster.role=source",
        "sr2fhir.cluster.kafka.inputs-topic=dicomweb-inputs",
        "sr2fhir.dicomweb.enabled=true",
        "sr2fhir.dicomweb.poll-interval=200ms",
        "sr2fhir.validation.mode=off",
        "camel.main.routes-reload-enabled=false"})
@DirtiesContext // its poller publishes to a broker that is gone after this class
class KafkaDicomWebIT {
    private static final Path CORPUS = Path.of(System.getProperty("sr2fhir.shared.dir", "../shared"), "corpus", "sr");
    private static final List<String> SRS = List.of("gen_dcmjs-cs3d_Length.dcm", "ext_dwv-tid1500_sr-ruler.dcm");
    private static final Path WORK;
    private static final KafkaBroker BROKER;
    private static final FakeDicomWebArchive ARCHIVE;

    static {
        try {
            WORK = Files.createTempDirectory("kafka-dicomweb-it");
            BROKER = KafkaBroker.start(WORK);
            BROKER.createTopic("dicomweb-inputs", 2);
            ARCHIVE = new FakeDicomWebArchive();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("sr2fhir.cluster.kafka.brokers", BROKER::bootstrapServers);
        registry.add("sr2fhir.cluster.leader.file-root", () -> WORK.resolve("cluster").toString());
        registry.add("sr2fhir.dicomweb.url", () -> ARCHIVE.url().toString());
        registry.add("sr2fhir.dicomweb.checkpoint-file", () -> WORK.resolve("checkpoint.jsonl").toString());
        registry.add("sr2fhir.data-dir", () -> WORK.resolve("data").toString());
        TestFolders.registerInboxFolders(registry, WORK);
    }

    @Autowired
    CamelContext camel;
    @Autowired
    DicomWebSource source;
    @Autowired
    ReportJournal journal;

    @AfterAll
    static void stopEverything() {
        ARCHIVE.close();
        BROKER.close();
    }

    @Test
    void theElectedLeaderPublishesEachSrOnceAndCheckpointsIt() throws IOException {
        assertThat(camel.getRoute("kafka-dicomweb")).isNotNull();
        assertThat(camel.getRoute("sr-inbox")).as("the inbox publishes in kafka mode").isNotNull();
        assertThat(camel.getRoute("dicomweb-to-fhir")).as("standalone poller").isNull();
        assertThat(camel.getRoute("kafka-worker")).as("a source does not deliver").isNull();
        assertThat(camel.hasService(FileLockClusterService.class)).isNotNull();

        for (int i = 0; i < SRS.size(); i++) {
            ARCHIVE.add(SopClass.ENHANCED_SR, "1.2.3.100.1." + (i + 1), Files.readAllBytes(CORPUS.resolve(SRS.get(i))));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> source.checkpoint().deliveredCount() == SRS.size());

        CamelClusterService cluster = camel.hasService(FileLockClusterService.class);
        assertThat(cluster.isLeader("sr2fhir")).as("this instance holds the leadership").isTrue();
        List<ConsumerRecord<String, byte[]>> records = BROKER.records("dicomweb-inputs");
        assertThat(records).hasSize(SRS.size());
        assertThat(records).extracting(r -> header(r, KafkaRecords.SOURCE)).containsOnly("dicomweb");
        assertThat(records).extracting(r -> header(r, KafkaRecords.NAME))
                .containsExactlyInAnyOrder("1.2.3.100.1.1.dcm", "1.2.3.100.1.2.dcm");
        assertThat(records).extracting(ConsumerRecord::value)
                .containsExactlyInAnyOrder(Files.readAllBytes(CORPUS.resolve(SRS.get(0))), Files.readAllBytes(CORPUS.resolve(SRS.get(1))));
        assertThat(records).allSatisfy(r -> assertThat(r.key()).matches("[0-9.]+"));
        assertThat(journal.search(new JournalQuery(null, null, null, null, null, 100))).filteredOn(e -> e.source() == ReportSource.DICOMWEB)
                .hasSize(SRS.size())
                .allSatisfy(e -> {
                    assertThat(e.status()).isEqualTo(ReportStatus.PUBLISHED);
                    assertThat(e.kafkaRecord()).matches("dicomweb-inputs-[01]@\\d+");
                });
        // nothing published twice: the next polls find nothing new
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> ARCHIVE.fetchedSopInstanceUids().size() == SRS.size());
        assertThat(BROKER.records("dicomweb-inputs")).hasSize(SRS.size());
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
