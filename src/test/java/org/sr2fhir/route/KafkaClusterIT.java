package org.sr2fhir.route;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.DiagnosticReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sr2fhir.cluster.DeadLetters;
import org.sr2fhir.cluster.KafkaBroker;
import org.sr2fhir.cluster.KafkaRecords;
import org.sr2fhir.testserver.FhirTestServer;
import org.sr2fhir.tid1500.ReportReader;

/**
 * Issue 15, Kafka cluster mode on the real product: a real Kafka broker (KRaft, {@link KafkaBroker}), one source
 * instance and two worker instances ({@code java -jar target/sr2fhir.jar}) delivering the corpus to a HAPI server of
 * this test's own. A worker is killed with SIGKILL after it delivered a few reports, and the broker is restarted,
 * mid-batch: the server ends up holding what one clean delivery leaves (nothing lost, nothing twice), the refused
 * report is in the dead-letter topic with its reason, and the input too large for a record never left the source.
 */
class KafkaClusterIT {
    /** Rejected by the workers (linking.missing-patient-id=reject), readable by the source: a dead letter. */
    private static final Path NO_PATIENT_ID = Path.of("src", "test", "resources", "producers", "empty-patient-id.dcm");
    private static final String INPUTS = "it-inputs";
    private static final String DEAD_LETTERS = "it-dead-letters";
    /** The sources' record limit here: the largest corpus SR (dcmqi's example, 77 kB) is above it. */
    private static final int MAX_RECORD = 64 * 1024;
    private static final Pattern STARTED = Pattern.compile("Apache Camel \\S+ \\(sr2fhir\\) started");
    private static final Pattern DELIVERED = Pattern.compile("delivered (\\S+) \\(SR ([^)]+)\\)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration BATCH_TIMEOUT = Duration.ofSeconds(240);

    private static final Map<String, byte[]> batch = new TreeMap<>();
    private static final Set<String> tooLarge = new TreeSet<>();
    private static final ExpectedResources expected = new ExpectedResources();
    private static final List<Process> children = new ArrayList<>();
    private static Path work;
    private static KafkaBroker broker;
    private static FhirTestServer server;

    /**
     * One corpus file per SR SOP Instance UID (variants of one SR are one report, D5); those above the record limit
     * are refused at the source and expected nowhere else.
     */
    @BeforeAll
    static void batchBrokerAndServer() throws IOException {
        for (ReportBatch.Report report : ReportBatch.fromCorpus()) {
            batch.put(report.name(), report.content());
            // a margin either side of the limit, so that the record's key and headers cannot decide it
            assertThat(Math.abs(report.content().length - MAX_RECORD)).as(report.name()).isGreaterThan(2048);
            if (report.content().length > MAX_RECORD) {
                tooLarge.add(report.name());
            } else {
                expected.add(report.bundle());
            }
        }
        assertThat(batch).hasSizeGreaterThan(10);
        assertThat(tooLarge).isNotEmpty();

        work = TestFolders.create("kafka-cluster-it");
        broker = KafkaBroker.start(work);
        // as many partitions as consumers in the group (2 workers x sr2fhir.delivery.concurrency 4, decision D61): with
        // fewer, some consumers get none and a worker may be left with nothing to deliver
        broker.createTopic(INPUTS, 8);
        broker.createTopic(DEAD_LETTERS, 1);
        server = FhirTestServer.launch(0);
    }

    @AfterAll
    static void stopEverything() throws InterruptedException {
        for (Process child : children) {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void oneSourceTwoWorkersDeliverEveryReportOnceThroughAWorkerKillAndABrokerRestart() throws Exception {
        Map<String, Process> workers = Map.of("worker-1", start("worker-1", "worker"),
                "worker-2", start("worker-2", "worker"));
        start("source", "source");
        await().atMost(START_TIMEOUT).until(() -> Stream.of("worker-1", "worker-2", "source")
                .allMatch(instance -> STARTED.matcher(read(log(instance))).find()));

        Path inbox = work.resolve("inbox");
        List<String> names = new ArrayList<>(batch.keySet());
        List<String> firstHalf = names.subList(0, names.size() / 2);
        List<String> secondHalf = names.subList(names.size() / 2, names.size());
        for (String name : firstHalf) {
            TestFolders.dropAtomically(inbox, name, batch.get(name));
        }
        TestFolders.dropAtomically(inbox, NO_PATIENT_ID.getFileName().toString(), Files.readAllBytes(NO_PATIENT_ID));

        // SIGKILL the first worker to have delivered two reports, in the middle of its share: no graceful stop, no
        // commit of what it holds (which worker's consumers the group gives the busy partitions is up to the broker)
        String victim = await().atMost(BATCH_TIMEOUT).pollInterval(Duration.ofMillis(20))
                .until(() -> workers.keySet().stream().filter(w -> deliveredBy(w).size() >= 2).findFirst(),
                        Optional::isPresent).orElseThrow();
        String survivor = victim.equals("worker-1") ? "worker-2" : "worker-1";
        Process killed = workers.get(victim);
        killed.destroyForcibly();
        assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(killed.exitValue()).as("killed by signal 9").isEqualTo(137);

        broker.restart();
        for (String name : secondHalf) {
            TestFolders.dropAtomically(inbox, name, batch.get(name));
        }

        // the source: every input taken; those above the record limit refused with the reason, the others done
        Set<String> doneExpected = new TreeSet<>(batch.keySet());
        doneExpected.removeAll(tooLarge);
        doneExpected.add(NO_PATIENT_ID.getFileName().toString());
        await().atMost(BATCH_TIMEOUT).until(() -> files(inbox).isEmpty() && files(work.resolve("done")).equals(doneExpected));
        for (String name : tooLarge) {
            assertThat(work.resolve("error").resolve(name)).exists();
            assertThat(work.resolve("error").resolve(name + ".error.txt")).content()
                    .contains("too large for a Kafka record").contains("sr2fhir.cluster.kafka.max-record-size");
        }
        assertThat(read(log("source"))).contains("published " + firstHalf.get(0));

        // the server: what one clean delivery leaves, once the last report arrived
        IGenericClient client = FhirContext.forR5Cached().newRestfulGenericClient(server.baseUrl());
        await().atMost(BATCH_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> expected.onServer(client).equals(expected.counts()));
        for (String name : doneExpected) {
            if (batch.containsKey(name)) {
                String uid = new ReportReader().read(batch.get(name), name).document().header().sopInstanceUid();
                assertThat(reportsOf(client, uid)).as("DiagnosticReports of SR %s", uid).hasSize(1);
            }
        }
        Set<String> delivered = new TreeSet<>(deliveredBy("worker-1"));
        delivered.addAll(deliveredBy("worker-2"));
        Set<String> deliverable = new TreeSet<>(doneExpected);
        deliverable.remove(NO_PATIENT_ID.getFileName().toString());
        assertThat(delivered).isEqualTo(deliverable);
        assertThat(deliveredBy(survivor)).as("the surviving worker took part").isNotEmpty();

        // the dead-letter topic: exactly the refused report, its bytes and key as published, its reason in headers
        List<ConsumerRecord<String, byte[]>> deadLetters = broker.records(DEAD_LETTERS);
        assertThat(deadLetters).hasSize(1);
        ConsumerRecord<String, byte[]> deadLetter = deadLetters.get(0);
        assertThat(deadLetter.value()).isEqualTo(Files.readAllBytes(NO_PATIENT_ID));
        assertThat(header(deadLetter, KafkaRecords.NAME)).isEqualTo(NO_PATIENT_ID.getFileName().toString());
        assertThat(header(deadLetter, KafkaRecords.SOURCE)).isEqualTo("inbox");
        assertThat(header(deadLetter, KafkaRecords.REASON)).containsIgnoringCase("patient id");
        assertThat(header(deadLetter, KafkaRecords.KIND)).isEqualTo("rejected");
        assertThat(header(deadLetter, KafkaRecords.RETRYABLE)).isEqualTo("no");
        assertThat(header(deadLetter, KafkaRecords.ORIGINAL_TOPIC)).isEqualTo(INPUTS);
        assertThat(header(deadLetter, KafkaRecords.ORIGINAL_OFFSET)).matches("\\d+");

        // the inputs topic: one record per published input, keyed by its Study Instance UID
        List<ConsumerRecord<String, byte[]>> inputs = broker.records(INPUTS);
        assertThat(inputs.stream().map(r -> header(r, KafkaRecords.NAME)).toList())
                .containsExactlyInAnyOrderElementsOf(doneExpected);
        assertThat(inputs).allSatisfy(r -> assertThat(r.key()).matches("[0-9.]+"));

        // resend-dead-letters: the dead letter back to the inputs topic, where the worker refuses it again
        Process resend = new ProcessBuilder(ProductProcess.JAVA, "-jar", ProductProcess.JAR.toString(),
                "resend-dead-letters", "--sr2fhir.cluster.kafka.brokers=" + broker.bootstrapServers(),
                "--sr2fhir.cluster.kafka.inputs-topic=" + INPUTS, "--sr2fhir.cluster.kafka.dead-letter-topic=" + DEAD_LETTERS,
                "--sr2fhir.cluster.kafka.group-id=it-workers")
                .redirectErrorStream(true).redirectOutput(work.resolve("resend.log").toFile()).start();
        assertThat(resend.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(resend.exitValue()).as(read(work.resolve("resend.log"))).isZero();
        assertThat(read(work.resolve("resend.log")))
                .contains("resent " + NO_PATIENT_ID.getFileName() + " (" + DEAD_LETTERS + "-0@0)")
                .contains("1 dead letter(s) of " + DEAD_LETTERS + " sent again to " + INPUTS);
        await().atMost(BATCH_TIMEOUT).until(() -> broker.records(DEAD_LETTERS).size() == 2);
        ConsumerRecord<String, byte[]> resent = broker.records(INPUTS).stream()
                .filter(r -> r.headers().lastHeader(DeadLetters.RESENT_FROM) != null).findFirst().orElseThrow();
        assertThat(resent.value()).isEqualTo(Files.readAllBytes(NO_PATIENT_ID));
        assertThat(header(resent, DeadLetters.RESENT_FROM)).isEqualTo(DEAD_LETTERS + "-0@0");
        assertThat(resent.headers().lastHeader(KafkaRecords.REASON)).as("failure headers stay behind").isNull();
        assertThat(expected.onServer(client)).isEqualTo(expected.counts());
    }

    /** The product with the cluster settings of this test: kafka mode, the given role, the broker and topics. */
    private static Process start(String instance, String role) throws IOException {
        Process child = ProductProcess.start(work, instance, "-Xmx512m", server.baseUrl(),
                "--sr2fhir.data-dir=" + work.resolve("data-" + instance),
                "--sr2fhir.linking.create-missing=true",
                "--sr2fhir.linking.missing-patient-id=reject",
                "--sr2fhir.validation.mode=off",
                "--sr2fhir.cluster.mode=kafka",
                "--sr2fhir.cluster.role=" + role,
                "--sr2fhir.cluster.kafka.brokers=" + broker.bootstrapServers(),
                "--sr2fhir.cluster.kafka.inputs-topic=" + INPUTS,
                "--sr2fhir.cluster.kafka.dead-letter-topic=" + DEAD_LETTERS,
                "--sr2fhir.cluster.kafka.group-id=it-workers",
                "--sr2fhir.cluster.kafka.max-record-size=" + MAX_RECORD + "B",
                "--sr2fhir.cluster.leader.file-root=" + work.resolve("cluster"));
        children.add(child);
        return child;
    }

    /** The inputs an instance's log says it delivered. */
    private static Set<String> deliveredBy(String instance) {
        Set<String> names = new TreeSet<>();
        Matcher line = DELIVERED.matcher(read(log(instance)));
        while (line.find()) {
            names.add(line.group(1));
        }
        return names;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Path log(String instance) {
        return ProductProcess.log(work, instance);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> files(Path folder) {
        if (!Files.isDirectory(folder)) {
            return new TreeSet<>();
        }
        try (Stream<Path> listing = Files.list(folder)) {
            return listing.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".camelLock"))
                    .collect(TreeSet::new, Set::add, Set::addAll);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** DiagnosticReportMapper's identifier: the SR SOP Instance UID as urn:oid: in the urn:dicom:uid system. */
    private static List<DiagnosticReport> reportsOf(IGenericClient client, String srUid) {
        return client.search().forResource(DiagnosticReport.class)
                .where(DiagnosticReport.IDENTIFIER.exactly().systemAndIdentifier("urn:dicom:uid", "urn:oid:" + srUid))
                .returnBundle(Bundle.class).execute()
                .getEntry().stream().map(e -> (DiagnosticReport) e.getResource()).toList();
    }
}
