package org.sr2fhir.route;

import org.sr2fhir.inbox.InboxReadLock;
import org.sr2fhir.delivery.DeliveryLog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.DiagnosticReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sr2fhir.testserver.FhirTestServer;

/**
 * Issue 6, delivery exactly once, proven on the real product: {@code java -jar target/sr2fhir.jar} in child JVMs
 * (failsafe runs after package) on one inbox, against a HAPI server of each test's own, so that the server's totals
 * are this test's alone. The batch is one corpus file per SR SOP Instance UID: encoding variants of one SR map to
 * the same deterministic ids (D5), and a second variant would be a second, legitimate delivery of that SR.
 */
class AppProcessIT {
    private static final Path CORPUS = ReportBatch.CORPUS;
    /** DeliveryLog's line, one per delivered report. */
    private static final Pattern DELIVERED = Pattern.compile("delivered (\\S+) \\(SR ([^)]+)\\)");
    /** Camel's line once every route runs, so the inbox is watched. */
    private static final Pattern STARTED = Pattern.compile("Apache Camel \\S+ \\(sr2fhir\\) started");
    /** How a process killed by signal 9 exits (128 + 9). */
    private static final int SIGKILL_EXIT = 137;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration BATCH_TIMEOUT = Duration.ofSeconds(180);

    private static Map<String, byte[]> batch;
    private static Map<String, String> srUidByFile;
    private static ExpectedResources expected;

    private final List<Process> children = new ArrayList<>();
    private FhirTestServer server;
    private Path work;

    /**
     * Picks the corpus files that convert (with create-missing, as the children run) and maps them as the product
     * will, to know what the server must hold.
     */
    @BeforeAll
    static void readBatch() throws IOException {
        batch = new TreeMap<>();
        srUidByFile = new TreeMap<>();
        expected = new ExpectedResources();
        for (ReportBatch.Report report : ReportBatch.fromCorpus()) {
            batch.put(report.name(), report.content());
            srUidByFile.put(report.name(), report.srUid());
            expected.add(report.bundle());
        }
        assertThat(batch).as("TID 1500 reports with a Patient ID in %s", CORPUS).hasSizeGreaterThan(10);
    }

    @BeforeEach
    void serverAndFolders() {
        work = TestFolders.create("app-process-it");
        server = FhirTestServer.launch(0);
    }

    /** Children die even when the test failed: a left-over instance would keep polling a dead server. */
    @AfterEach
    void stopEverything() throws InterruptedException {
        for (Process child : children) {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        server.close();
    }

    @Test
    void killedMidBatchAndRestartedDeliversEveryReportExactlyOnce() throws Exception {
        Path inbox = work.resolve("inbox");
        Path done = work.resolve("done");
        Process first = start("first");
        drop(inbox);

        // poll fast: the kill must land while the batch is being worked through, not before or after it
        await().atMost(BATCH_TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> files(done).size() >= 3);
        kill9(first);

        Set<String> doneAtKill = files(done);
        Set<String> left = files(inbox);
        left.removeIf(name -> name.endsWith(".camelLock"));
        assertThat(doneAtKill).as("killed mid-batch, see %s", log("first")).hasSizeLessThan(batch.size());
        assertThat(left).as("nothing lost or done twice at the kill").doesNotContainAnyElementsOf(doneAtKill);
        Set<String> accounted = new TreeSet<>(doneAtKill);
        accounted.addAll(left);
        assertThat(accounted).isEqualTo(batch.keySet());

        start("second");
        // empty means no orphan .camelLock marker of the killed instance either (InboxReadLock)
        await().atMost(BATCH_TIMEOUT).until(() -> files(inbox).isEmpty());

        assertThat(files(done)).as("see %s", log("second")).isEqualTo(batch.keySet());
        assertThat(files(work.resolve("error"))).isEmpty();
        IGenericClient client = client();
        for (String uid : srUidByFile.values()) {
            assertThat(reportsOf(client, uid)).as("DiagnosticReports of SR %s", uid).hasSize(1);
        }
        assertThat(expected.onServer(client)).isEqualTo(expected.counts());
    }

    /**
     * Both instances share the delivered store as well as the folders: that is the realistic set-up (application.yaml
     * says several instances may share it), and a store per instance would let each one's idempotent consumer miss
     * what the other delivered. This test's JVM plays a third instance with one file in flight, holding its marker's
     * lock as InboxReadLock does: the children must leave it alone, their start-ups included (Camel's own orphan
     * clean-up deleted such live markers, and the file was processed twice).
     */
    @Test
    void twoInstancesOnOneInboxProcessEachFileOnce() throws Exception {
        Path inbox = work.resolve("inbox");
        Path done = work.resolve("done");
        String inFlight = batch.keySet().iterator().next();
        Path marker = Files.createDirectories(inbox).resolve(inFlight + ".camelLock");
        try (FileChannel held = FileChannel.open(marker, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            held.lock();
            start("one");
            start("two");
            // both must be watching the inbox before the drop, or one of them would take the whole batch
            await().atMost(START_TIMEOUT).until(() -> STARTED.matcher(Files.readString(log("one"))).find()
                    && STARTED.matcher(Files.readString(log("two"))).find());
            drop(inbox);

            await().atMost(BATCH_TIMEOUT).until(() -> files(done).size() == batch.size() - 1);
            assertThat(files(inbox)).containsExactly(inFlight, inFlight + ".camelLock");
            // released as InboxReadLock does: deleted while still locked
            Files.delete(marker);
        }
        await().atMost(BATCH_TIMEOUT).until(() -> files(inbox).isEmpty() && files(done).size() == batch.size());

        assertThat(files(done)).isEqualTo(batch.keySet());
        assertThat(files(work.resolve("error"))).isEmpty();
        Map<String, String> deliveredBy = new HashMap<>();
        Map<String, Integer> perInstance = new LinkedHashMap<>();
        for (String instance : List.of("one", "two")) {
            String text = Files.readString(log(instance));
            assertThat(text).as("no file read again after its delivery").doesNotContain("the same content was delivered before");
            Matcher line = DELIVERED.matcher(text);
            int count = 0;
            while (line.find()) {
                String earlier = deliveredBy.put(line.group(1), instance);
                assertThat(earlier).as("%s delivered a second time by %s", line.group(1), instance).isNull();
                assertThat(line.group(2)).isEqualTo(srUidByFile.get(line.group(1)));
                count++;
            }
            perInstance.put(instance, count);
        }
        assertThat(deliveredBy.keySet()).isEqualTo(batch.keySet());
        assertThat(perInstance).as("both instances took part").allSatisfy((instance, count) -> assertThat(count).isPositive());

        IGenericClient client = client();
        for (String uid : srUidByFile.values()) {
            List<DiagnosticReport> reports = reportsOf(client, uid);
            assertThat(reports).as("DiagnosticReports of SR %s", uid).hasSize(1);
            assertThat(reports.get(0).getMeta().getVersionId()).as("SR %s written once", uid).isEqualTo("1");
        }
    }

    /** The product as users run it (ProductProcess), output to a log file. */
    private Process start(String instance) throws IOException {
        Process child = ProductProcess.start(work, instance, "-Xmx768m", server.baseUrl(),
                // the test server starts empty: let the bundles create the Patient / ImagingStudy they refer to (D3)
                "--sr2fhir.linking.create-missing=true",
                "--sr2fhir.validation.mode=off");
        children.add(child);
        return child;
    }

    /** SIGKILL: no shutdown hook, no graceful Camel stop, no completion of the exchange in flight. */
    private static void kill9(Process child) throws InterruptedException {
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("killed by signal 9").isEqualTo(SIGKILL_EXIT);
    }

    private static void drop(Path inbox) throws IOException {
        for (Map.Entry<String, byte[]> file : batch.entrySet()) {
            TestFolders.dropAtomically(inbox, file.getKey(), file.getValue());
        }
    }

    private Path log(String instance) {
        return ProductProcess.log(work, instance);
    }

    private static Set<String> files(Path folder) {
        if (!Files.isDirectory(folder)) {
            return new TreeSet<>();
        }
        try (Stream<Path> listing = Files.list(folder)) {
            return listing.map(p -> p.getFileName().toString()).collect(TreeSet::new, Set::add, Set::addAll);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private IGenericClient client() {
        return FhirContext.forR5Cached().newRestfulGenericClient(server.baseUrl());
    }

    /** DiagnosticReportMapper's identifier: the SR SOP Instance UID as urn:oid: in the urn:dicom:uid system. */
    private static List<DiagnosticReport> reportsOf(IGenericClient client, String srUid) {
        return client.search().forResource(DiagnosticReport.class)
                .where(DiagnosticReport.IDENTIFIER.exactly().systemAndIdentifier("urn:dicom:uid", "urn:oid:" + srUid))
                .returnBundle(Bundle.class).execute()
                .getEntry().stream().map(e -> (DiagnosticReport) e.getResource()).toList();
    }
}
