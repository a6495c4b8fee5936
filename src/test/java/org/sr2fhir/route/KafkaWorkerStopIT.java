package org.sr2fhir.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sr2fhir.cluster.KafkaBroker;
import org.sr2fhir.cluster.KafkaRecords;

/**
 * Issue 15, decisions D54 and D79 on the real product: a worker that is stopped (SIGTERM) while its report waits for
 * a retry stops promptly and leaves the record uncommitted, neither committed nor dead-lettered, so that the next
 * worker of the group takes it. The FHIR server is an address where nothing listens: every attempt fails as
 * unreachable and is retried.
 */
class KafkaWorkerStopIT {
    private static final String INPUTS = "stop-inputs";
    private static final String DEAD_LETTERS = "stop-dead-letters";
    private static final String GROUP = "stop-workers";
    private static final String REPORT = "gen_dcmjs-cs3d_Length.dcm";

    private static final List<Process> children = new ArrayList<>();
    private static Path work;
    private static KafkaBroker broker;
    private static String deadServer;

    @BeforeAll
    static void brokerAndDeadServer() throws IOException {
        work = TestFolders.create("kafka-worker-stop-it");
        broker = KafkaBroker.start(work);
        broker.createTopic(INPUTS, 1);
        broker.createTopic(DEAD_LETTERS, 1);
        try (ServerSocket socket = new ServerSocket(0)) {
            deadServer = "http://127.0.0.1:" + socket.getLocalPort() + "/fhir";
        }
    }

    @AfterAll
    static void stopEverything() throws InterruptedException {
        for (Process child : children) {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aWorkerStoppedDuringARetryLeavesItsRecordToTheNextWorker() throws Exception {
        Process first = start("worker-1");
        broker.publish(INPUTS, "2.25.1", Files.readAllBytes(ReportBatch.CORPUS.resolve(REPORT)),
                Map.of(KafkaRecords.SOURCE, "inbox", KafkaRecords.NAME, REPORT,
                        KafkaRecords.RECEIVED, "2026-12-05T12:00:00Z"));
        Path firstLog = ProductProcess.log(work, "worker-1");
        await().atMost(Duration.ofSeconds(180)).until(() -> read(firstLog).contains("retrying " + REPORT));

        long start = System.nanoTime();
        first.destroy(); // SIGTERM, in the middle of a 20 s pause
        assertThat(first.waitFor(15, TimeUnit.SECONDS)).as("stopped within 15 s, see %s", firstLog).isTrue();
        System.out.println("SIGTERM during a worker's retry: stopped in " + (System.nanoTime() - start) / 1_000_000
                + " ms");
        assertThat(read(firstLog)).contains("record " + INPUTS + "-0@0 (" + REPORT + ") is left uncommitted");
        assertThat(broker.committedOffset(GROUP, INPUTS)).as("nothing committed").isEqualTo(-1);
        assertThat(broker.records(DEAD_LETTERS)).as("a stop is no dead letter").isEmpty();

        // the next worker of the group reads the same record again
        Path secondLog = ProductProcess.log(work, "worker-2");
        start("worker-2");
        await().atMost(Duration.ofSeconds(180)).until(() -> read(secondLog).contains("retrying " + REPORT));
        assertThat(broker.records(DEAD_LETTERS)).isEmpty();
    }

    /** A worker whose FHIR server never answers, with a long first pause so that the stop finds it waiting. */
    private static Process start(String instance) throws IOException {
        Process child = ProductProcess.start(work, instance, "-Xmx512m", deadServer,
                "--sr2fhir.data-dir=" + work.resolve("data-" + instance),
                "--sr2fhir.validation.mode=off",
                "--sr2fhir.linking.create-missing=true",
                "--sr2fhir.delivery.initial-backoff=20s",
                "--sr2fhir.cluster.mode=kafka",
                "--sr2fhir.cluster.role=worker",
                "--sr2fhir.cluster.kafka.brokers=" + broker.bootstrapServers(),
                "--sr2fhir.cluster.kafka.inputs-topic=" + INPUTS,
                "--sr2fhir.cluster.kafka.dead-letter-topic=" + DEAD_LETTERS,
                "--sr2fhir.cluster.kafka.group-id=" + GROUP);
        children.add(child);
        return child;
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
