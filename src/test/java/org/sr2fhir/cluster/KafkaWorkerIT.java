package org.sr2fhir.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.DiagnosticReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.sr2fhir.Sr2FhirApplication;
import org.sr2fhir.journal.JournalEntry;
import org.sr2fhir.journal.JournalQuery;
import org.sr2fhir.journal.ReportJournal;
import org.sr2fhir.journal.ReportSource;
import org.sr2fhir.journal.ReportStatus;
import org.sr2fhir.ops.ReportResend;
import org.sr2fhir.route.TestFolders;
import org.sr2fhir.testserver.FhirTestServer;
import org.sr2fhir.tid1500.ReportReader;

/**
 * Issue 15, a worker instance (the whole application in-process, role worker) on a real Kafka broker and a HAPI server
 * of its own, one record at a time: the offset is committed only once the FHIR server committed the report (D79);
 * while the server is down the record is retried and stays uncommitted; a rejected report becomes a dead letter with
 * its reason and its journal row keeps the dead letter's place (D82); the journal's resend sends that dead letter back
 * to the inputs topic (D83).
 */
@CamelSpringBootTest
@SpringBootTest(classes = Sr2FhirApplication.class, properties = {
        "sr2fhir.cluster.mode=kafka",
        "sr2fhir.cluster.role=worker",
        "sr2fhir.cluster.kafka.inputs-topic=worker-inputs",
        "sr2fhir.cluster.kafka.dead-letter-topic=worker-dead-letters",
        "sr2fhir.cluster.kafka.group-id=worker-it",
        "sr2fhir.validation.mode=off",
        "sr2fhir.linking.create-missing=true",
        "sr2fhir.linking.missing-patient-id=reject",
        "sr2fhir.delivery.retry-budget=2m",
        "sr2fhir.delivery.initial-backoff=200ms",
        "sr2fhir.delivery.max-backoff=1s",
        "camel.main.routes-reload-enabled=false"})
@DirtiesContext // its worker consumes from a broker that is gone after this class
class KafkaWorkerIT {
    private static final Path CORPUS = Path.of(System.getProperty("sr2fhir.shared.dir", "../shared"), "corpus", "sr");
    private static final Path NO_PATIENT_ID = Path.of("src", "test", "resources", "producers", "empty-patient-id.dcm");
    private static final String INPUTS = "worker-inputs";
    private static final String DEAD_LETTERS = "worker-dead-letters";
    private static final String GROUP = "worker-it";
    private static final Path WORK;
    private static final KafkaBroker BROKER;
    private static final FhirTestServer FHIR;

    static {
        try {
            WORK = Files.createTempDirectory("kafka-worker-it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BROKER = KafkaBroker.start(WORK);
        BROKER.createTopic(INPUTS, 1);
        BROKER.createTopic(DEAD_LETTERS, 1);
        FHIR = FhirTestServer.launch(0);
    }

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("sr2fhir.fhir.url", FHIR::baseUrl);
        registry.add("sr2fhir.cluster.kafka.brokers", BROKER::bootstrapServers);
        registry.add("sr2fhir.data-dir", () -> WORK.resolve("data").toString());
        TestFolders.registerInboxFolders(registry, WORK);
    }

    @Autowired
    ReportJournal journal;
    @Autowired
    ReportResend resend;

    @AfterAll
    static void stopEverything() {
        FHIR.close();
        BROKER.close();
    }

    @Test
    void commitsAfterTheServerRetriesWhileItIsDownAndDeadLettersARejection() throws Exception {
        // 1. delivered, then committed
        publish("gen_dcmjs-cs3d_Length.dcm", Files.readAllBytes(CORPUS.resolve("gen_dcmjs-cs3d_Length.dcm")));
        await().atMost(Duration.ofSeconds(90)).until(() -> BROKER.committedOffset(GROUP, INPUTS) == 1);
        assertThat(reportsOf(srUid("gen_dcmjs-cs3d_Length.dcm"))).hasSize(1);
        assertThat(row("gen_dcmjs-cs3d_Length.dcm")).satisfies(row -> {
            assertThat(row.status()).isEqualTo(ReportStatus.DELIVERED);
            assertThat(row.kafkaRecord()).isEqualTo(INPUTS + "-0@0");
        });

        // 2. the server is down: retried, not committed, until it is back
        FHIR.stop();
        try {
            publish("ext_dwv-tid1500_sr-ruler.dcm", Files.readAllBytes(CORPUS.resolve("ext_dwv-tid1500_sr-ruler.dcm")));
            await().atMost(Duration.ofSeconds(30)).until(() -> rows().stream().anyMatch(row ->
                    row.sourceName().equals("ext_dwv-tid1500_sr-ruler.dcm") && row.status() == ReportStatus.RETRYING));
            Thread.sleep(2000);
            assertThat(BROKER.committedOffset(GROUP, INPUTS)).as("not committed while retrying").isEqualTo(1);
        } finally {
            FHIR.start();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> BROKER.committedOffset(GROUP, INPUTS) == 2);
        assertThat(reportsOf(srUid("ext_dwv-tid1500_sr-ruler.dcm"))).hasSize(1);
        assertThat(row("ext_dwv-tid1500_sr-ruler.dcm").status()).isEqualTo(ReportStatus.DELIVERED);
        assertThat(BROKER.records(DEAD_LETTERS)).as("a passing outage is no dead letter").isEmpty();

        // 3. rejected: a dead letter with its reason, then committed; the journal knows where the dead letter is
        publish("empty-patient-id.dcm", Files.readAllBytes(NO_PATIENT_ID));
        await().atMost(Duration.ofSeconds(60)).until(() -> BROKER.committedOffset(GROUP, INPUTS) == 3);
        List<ConsumerRecord<String, byte[]>> deadLetters = BROKER.records(DEAD_LETTERS);
        assertThat(deadLetters).hasSize(1);
        assertThat(header(deadLetters.get(0), KafkaRecords.REASON)).containsIgnoringCase("patient id");
        assertThat(header(deadLetters.get(0), KafkaRecords.KIND)).isEqualTo("rejected");
        assertThat(header(deadLetters.get(0), KafkaRecords.ORIGINAL_OFFSET)).isEqualTo("2");
        assertThat(deadLetters.get(0).key()).isEqualTo("study-of-empty-patient-id.dcm");
        JournalEntry rejected = row("empty-patient-id.dcm");
        assertThat(rejected.status()).isEqualTo(ReportStatus.REJECTED);
        assertThat(rejected.kafkaRecord()).isEqualTo(DEAD_LETTERS + "-0@0");

        // 4. the journal's resend: the dead letter back to the inputs topic, refused again by the worker
        ReportResend.Result result = resend.resend(rejected.id());
        assertThat(result.outcome()).as(result.message()).isEqualTo(ReportResend.Outcome.RESENT);
        await().atMost(Duration.ofSeconds(60)).until(() -> BROKER.committedOffset(GROUP, INPUTS) == 4);
        ConsumerRecord<String, byte[]> resent = BROKER.records(INPUTS).get(3);
        assertThat(resent.value()).isEqualTo(Files.readAllBytes(NO_PATIENT_ID));
        assertThat(header(resent, DeadLetters.RESENT_FROM)).isEqualTo(DEAD_LETTERS + "-0@0");
        assertThat(header(resent, KafkaRecords.NAME)).isEqualTo("empty-patient-id.dcm");
        assertThat(BROKER.records(DEAD_LETTERS)).hasSize(2);
        assertThat(row("empty-patient-id.dcm").attempts()).as("the resend continued the row").isEqualTo(2);
    }

    /** As a source publishes it; the key here is a stand-in (a worker does not read it). */
    private static void publish(String name, byte[] input) {
        BROKER.publish(INPUTS, "study-of-" + name, input, Map.of(KafkaRecords.SOURCE, "inbox", KafkaRecords.NAME, name,
                KafkaRecords.RECEIVED, "2026-12-05T12:00:00Z"));
    }

    private List<JournalEntry> rows() {
        return journal.search(new JournalQuery(null, null, null, null, null, 100)).stream()
                .filter(row -> row.source() == ReportSource.KAFKA).toList();
    }

    private JournalEntry row(String name) {
        return rows().stream().filter(row -> row.sourceName().equals(name)).findFirst().orElseThrow();
    }

    private static String srUid(String corpusFile) throws Exception {
        return new ReportReader().read(Files.readAllBytes(CORPUS.resolve(corpusFile)), corpusFile)
                .document().header().sopInstanceUid();
    }

    private static List<DiagnosticReport> reportsOf(String srUid) {
        IGenericClient client = FhirContext.forR5Cached().newRestfulGenericClient(FHIR.baseUrl());
        return client.search().forResource(DiagnosticReport.class)
                .where(DiagnosticReport.IDENTIFIER.exactly().systemAndIdentifier("urn:dicom:uid", "urn:oid:" + srUid))
                .returnBundle(Bundle.class).execute()
                .getEntry().stream().map(e -> (DiagnosticReport) e.getResource()).toList();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
