package org.sr2fhir.route;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hl7.fhir.r5.model.Bundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.sr2fhir.cluster.KafkaBroker;
import org.sr2fhir.testserver.FhirTestServer;

/**
 * Issue 15's delivery benchmark (not a timed test: it runs only when asked, README "Benchmark"):
 * {@code mvn -q package -DskipTests && mvn -q test -Dtest=DeliveryBenchmark -Dbench=true}.
 * <p>
 * Each row compares, against fresh HAPI FHIR JPA R5 servers of this JVM on loopback, the product as users run it
 * ({@code java -jar target/sr2fhir.jar}: inbox → read → map → validate → transaction) with direct POSTs of the same
 * reports' transaction Bundles (mapped beforehand, JSON) at the same concurrency: reports/s of each and their ratio.
 * Rows: {@code sr2fhir.delivery.concurrency} 1, 2, 4, 8 with {@code sr2fhir.validation.mode} off and warn; Kafka
 * cluster mode (one source instance, 1 and 2 worker instances of 4 consumers, validation warn) against direct POSTs at
 * the cluster's total concurrency. Each run sends {@link #WARM_UP} reports first (JIT, validator start) and then times
 * {@code -Dbench.reports} (default 100) new ones: derived corpus reports ({@link ReportVariants}), each of its own
 * study and patient, so that no per-study turn limits the parallelism. The direct POSTs run first, so the route meets
 * a server already holding their resources (a bias against the route). CPU: milliseconds of CPU per timed report
 * of the sr2fhir process(es) and of this JVM (the FHIR server, and the POSTing client in the direct run), read off
 * the operating system, show where a 2-core machine's capacity goes; the last column is the machine's 1-minute load
 * average when the row ended. The table goes to stdout and to
 * {@code target/delivery-benchmark.md}. {@code -Dbench.rows=warn4,kafka1} runs only the rows named
 * ({@code <mode><concurrency>}, {@code kafka<workers>});
 * {@code -Dbench.jvm=<option>} replaces the standalone instance's {@code -Xmx1g}; {@code -Dbench.jfr=<file>} records
 * the timed part of the standalone instance with Java Flight Recorder. {@code -Dbench.warm-up=N} (default 100).
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class DeliveryBenchmark {
    private static final int WARM_UP = Integer.getInteger("bench.warm-up", 100);
    private static final int REPORTS = Integer.getInteger("bench.reports", 100);
    private static final int KAFKA_CONSUMERS = 4;
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final Pattern STARTED = Pattern.compile("Apache Camel \\S+ \\(sr2fhir\\) started");
    private static final Pattern DELIVERED = Pattern.compile("delivered (\\S+) \\(SR ");
    private static final OperatingSystemMXBean THIS_JVM =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final IParser JSON = FhirContext.forR5Cached().newJsonParser();

    /** One measured run: reports/s and CPU ms per report (the sr2fhir processes', this JVM's). */
    private record Run(double rate, double productCpu, double serverCpu) {
    }

    /** {@code load}: the machine's 1-minute load average when the row ended. */
    private record Row(String label, int concurrency, Run route, Run direct, double load) {
        Row(String label, int concurrency, Run route, Run direct) {
            this(label, concurrency, route, direct, THIS_JVM.getSystemLoadAverage());
        }

        String line() {
            return String.format("| %s | %d | %.1f | %.1f | %.2f | %.0f | %.0f | %.0f | %.1f |", label, concurrency,
                    route.rate, direct.rate, route.rate / direct.rate, route.productCpu, route.serverCpu,
                    direct.serverCpu, load);
        }
    }

    @Test
    void routeAgainstDirectPosts() throws Exception {
        List<String> only = Arrays.stream(System.getProperty("bench.rows", "").split(",")).filter(s -> !s.isBlank())
                .toList();
        List<Row> rows = new ArrayList<>();
        for (String mode : List.of("off", "warn")) {
            for (int concurrency : List.of(1, 2, 4, 8)) {
                if (only.isEmpty() || only.contains(mode + concurrency)) {
                    rows.add(standalone(mode, concurrency));
                    print(rows);
                }
            }
        }
        for (int workers : List.of(1, 2)) {
            if (only.isEmpty() || only.contains("kafka" + workers)) {
                rows.add(kafka(workers));
                print(rows);
            }
        }
    }

    /** One standalone instance at {@code concurrency}, validation {@code mode}. */
    private static Row standalone(String mode, int concurrency) throws Exception {
        String run = "bench-" + mode + concurrency + "-" + System.nanoTime();
        Path work = TestFolders.create("delivery-bench-");
        try (FhirTestServer server = FhirTestServer.launch(0)) {
            Run direct = direct(server, run, concurrency);
            Process product = ProductProcess.start(work, "sr2fhir", System.getProperty("bench.jvm", "-Xmx1g"),
                    server.baseUrl(),
                    "--sr2fhir.data-dir=" + work.resolve("data"),
                    "--sr2fhir.linking.create-missing=true",
                    "--sr2fhir.validation.mode=" + mode,
                    "--sr2fhir.delivery.concurrency=" + concurrency);
            try {
                awaitStarted(work, "sr2fhir");
                Path inbox = work.resolve("inbox");
                Path done = work.resolve("done");
                List<ReportVariants.Variant> reports = ReportVariants.derive(run + "-route", WARM_UP + REPORTS,
                        WARM_UP + REPORTS, WARM_UP + REPORTS);
                TestFolders.dropAtOnce(work.resolve("staging"), inbox, reports.subList(0, WARM_UP));
                awaitCount(() -> count(done), WARM_UP, work);
                jfr(product, "JFR.start", "settings=profile");
                long[] cpu = {cpu(List.of(product)), THIS_JVM.getProcessCpuTime()};
                long start = System.nanoTime();
                TestFolders.dropAtOnce(work.resolve("staging"), inbox, reports.subList(WARM_UP, reports.size()));
                awaitCount(() -> count(done), WARM_UP + REPORTS, work);
                jfr(product, "JFR.dump");
                return new Row(mode, concurrency, measured(start, cpu, List.of(product)), direct);
            } finally {
                stop(List.of(product));
            }
        }
    }

    /**
     * One source instance and {@code workers} worker instances of {@value #KAFKA_CONSUMERS} consumers, validation
     * warn; timed from the drop into the source's inbox to the last delivered line of the workers' logs.
     */
    private static Row kafka(int workers) throws Exception {
        String run = "bench-kafka" + workers + "-" + System.nanoTime();
        Path work = TestFolders.create("delivery-bench-kafka-");
        int concurrency = workers * KAFKA_CONSUMERS;
        try (FhirTestServer server = FhirTestServer.launch(0); KafkaBroker broker = KafkaBroker.start(work)) {
            broker.createTopic("bench-inputs", concurrency);
            broker.createTopic("bench-dead-letters", 1);
            Run direct = direct(server, run, concurrency);
            List<Process> processes = new ArrayList<>();
            List<String> workerNames = new ArrayList<>();
            try {
                for (int i = 1; i <= workers; i++) {
                    workerNames.add("worker-" + i);
                    processes.add(kafkaInstance(work, "worker-" + i, "worker", server, broker));
                }
                processes.add(kafkaInstance(work, "source", "source", server, broker));
                for (String instance : workerNames) {
                    awaitStarted(work, instance);
                }
                awaitStarted(work, "source");
                Path inbox = work.resolve("inbox");
                List<ReportVariants.Variant> reports = ReportVariants.derive(run + "-route", WARM_UP + REPORTS,
                        WARM_UP + REPORTS, WARM_UP + REPORTS);
                TestFolders.dropAtOnce(work.resolve("staging"), inbox, reports.subList(0, WARM_UP));
                awaitCount(() -> delivered(work, workerNames), WARM_UP, work);
                long[] cpu = {cpu(processes), THIS_JVM.getProcessCpuTime()};
                long start = System.nanoTime();
                TestFolders.dropAtOnce(work.resolve("staging"), inbox, reports.subList(WARM_UP, reports.size()));
                awaitCount(() -> delivered(work, workerNames), WARM_UP + REPORTS, work);
                return new Row("kafka, " + workers + " worker(s) x " + KAFKA_CONSUMERS, concurrency,
                        measured(start, cpu, processes), direct);
            } finally {
                stop(processes);
            }
        }
    }

    /**
     * With {@code -Dbench.jfr=<file>}: {@code jcmd <pid> JFR.start|JFR.dump}, so that a recording holds the timed
     * part only (no start-up, no warm-up).
     */
    private static void jfr(Process product, String command, String... options) throws Exception {
        String file = System.getProperty("bench.jfr");
        if (file == null) {
            return;
        }
        List<String> jcmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(product.pid()), command, "name=bench", "filename=" + file));
        jcmd.addAll(List.of(options));
        assertThat(new ProcessBuilder(jcmd).inheritIO().start().waitFor()).as(String.join(" ", jcmd)).isZero();
    }

    private static Process kafkaInstance(Path work, String instance, String role, FhirTestServer server,
                                         KafkaBroker broker) throws IOException {
        return ProductProcess.start(work, instance, "-Xmx1g", server.baseUrl(),
                "--sr2fhir.data-dir=" + work.resolve("data-" + instance),
                "--sr2fhir.linking.create-missing=true",
                "--sr2fhir.validation.mode=warn",
                "--sr2fhir.delivery.concurrency=" + KAFKA_CONSUMERS,
                "--sr2fhir.cluster.mode=kafka",
                "--sr2fhir.cluster.role=" + role,
                "--sr2fhir.cluster.kafka.brokers=" + broker.bootstrapServers(),
                "--sr2fhir.cluster.kafka.inputs-topic=bench-inputs",
                "--sr2fhir.cluster.kafka.dead-letter-topic=bench-dead-letters",
                "--sr2fhir.cluster.kafka.group-id=bench-workers",
                "--sr2fhir.cluster.leader.file-root=" + work.resolve("cluster"));
    }

    /**
     * The same kind of reports' Bundles (mapped as the route maps them, JSON as the route sends them) POSTed by
     * {@code concurrency} threads, each transaction as soon as the thread's last one was answered.
     */
    private static Run direct(FhirTestServer server, String run, int concurrency) throws Exception {
        List<ReportVariants.Variant> reports = ReportVariants.derive(run + "-direct", WARM_UP + REPORTS,
                WARM_UP + REPORTS, WARM_UP + REPORTS);
        List<String> bundles = new ArrayList<>();
        for (ReportVariants.Variant report : reports) {
            Bundle bundle = report.bundle(ExpectedResources.CREATE_MISSING);
            bundles.add(JSON.encodeResourceToString(bundle));
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService threads = Executors.newFixedThreadPool(concurrency);
        try {
            post(client, threads, server.baseUrl(), bundles.subList(0, WARM_UP));
            long[] cpu = {0, THIS_JVM.getProcessCpuTime()};
            long start = System.nanoTime();
            post(client, threads, server.baseUrl(), bundles.subList(WARM_UP, bundles.size()));
            return measured(start, cpu, List.of());
        } finally {
            threads.shutdownNow();
        }
    }

    private static void post(HttpClient client, ExecutorService threads, String baseUrl, List<String> bundles)
            throws Exception {
        List<Future<Integer>> answers = new ArrayList<>();
        for (String bundle : bundles) {
            answers.add(threads.submit(() -> client.send(HttpRequest.newBuilder(URI.create(baseUrl))
                    .header("Content-Type", "application/fhir+json")
                    .POST(HttpRequest.BodyPublishers.ofString(bundle, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()));
        }
        for (Future<Integer> answer : answers) {
            assertThat(answer.get()).as("direct transaction status").isEqualTo(200);
        }
    }

    /** The timed run that began at {@code start}, with CPU totals {product, this JVM} read then. */
    private static Run measured(long start, long[] cpuAtStart, List<Process> products) {
        double seconds = (System.nanoTime() - start) / 1e9;
        double productCpu = (cpu(products) - cpuAtStart[0]) / 1e6 / REPORTS;
        double serverCpu = (THIS_JVM.getProcessCpuTime() - cpuAtStart[1]) / 1e6 / REPORTS;
        return new Run(REPORTS / seconds, productCpu, serverCpu);
    }

    /** CPU nanoseconds the processes used so far. */
    private static long cpu(List<Process> processes) {
        return processes.stream().mapToLong(p -> p.info().totalCpuDuration().orElseThrow().toNanos()).sum();
    }

    private interface Count {
        int get() throws IOException;
    }

    /** Waits until {@code count} reaches {@code expected}; an input in error/ ends the benchmark with its reason. */
    private static void awaitCount(Count count, int expected, Path work) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (count.get() < expected) {
            Path error = work.resolve("error");
            if (Files.isDirectory(error)) {
                try (Stream<Path> reasons = Files.list(error).filter(p -> p.toString().endsWith(".error.txt"))) {
                    for (Path reason : reasons.toList()) {
                        throw new AssertionError(reason.getFileName() + ": " + Files.readString(reason));
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + count.get() + " of " + expected + " reports after " + TIMEOUT);
            }
            Thread.sleep(10);
        }
    }

    private static int count(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return (int) files.count();
        }
    }

    /** The delivered lines in the workers' logs. */
    private static int delivered(Path work, List<String> workers) throws IOException {
        int lines = 0;
        for (String worker : workers) {
            Matcher line = DELIVERED.matcher(Files.readString(ProductProcess.log(work, worker)));
            while (line.find()) {
                lines++;
            }
        }
        return lines;
    }

    private static void awaitStarted(Path work, String instance) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Path log = ProductProcess.log(work, instance);
        while (!Files.exists(log) || !STARTED.matcher(Files.readString(log)).find()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(instance + " did not start: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }

    private static void stop(List<Process> processes) throws InterruptedException {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static void print(List<Row> rows) {
        List<String> lines = new ArrayList<>(List.of(
                String.format("Delivery benchmark, %s, %d reports per run after %d to warm up, %d cores",
                        LocalDate.now(), REPORTS, WARM_UP, Runtime.getRuntime().availableProcessors()),
                "",
                "| route | concurrency | route reports/s | direct reports/s | route/direct "
                        + "| sr2fhir CPU ms/report | server CPU ms/report (route) | server CPU ms/report (direct) "
                        + "| load |",
                "|---|---|---|---|---|---|---|---|---|"));
        rows.forEach(row -> lines.add(row.line()));
        lines.forEach(System.out::println);
        try {
            Files.write(Path.of("target", "delivery-benchmark.md"), lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
