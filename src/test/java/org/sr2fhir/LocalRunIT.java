package org.sr2fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.DiagnosticReport;
import org.hl7.fhir.r5.model.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command (decision D71): the embedded run starts, says where to look, and the README's example
 * dropped into the inbox is served at the README's URL, even after a previous run left its delivered-store behind
 * (demo-data/ is cleared at start, as the in-memory FHIR server starts empty).
 */
class LocalRunIT {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final Path SHARED = Path.of(System.getProperty("sr2fhir.shared.dir", "../shared"));

    @TempDir
    Path workingDirectory;

    @Test
    void theReadmesExampleIsServedAtTheReadmesUrl() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher example = Pattern.compile("cp \\.\\./shared/(\\S+) inbox/").matcher(readme);
        Matcher url = Pattern.compile("<http://127\\.0\\.0\\.1:8090(/fhir/DiagnosticReport\\?[^>]+)>").matcher(readme);
        assertThat(example.find()).as("README: cp ../shared/... inbox/").isTrue();
        assertThat(url.find()).as("README: the DiagnosticReport URL").isTrue();
        byte[] report = Files.readAllBytes(SHARED.resolve(example.group(1)));
        // a previous run's delivered-store, whose server is gone: the report must be sent again, not skipped
        Path stale = Files.createDirectories(workingDirectory.resolve(Sr2FhirLocalRun.DATA_DIR)).resolve("delivered-inputs.txt");
        Files.writeString(stale, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(report)) + "\n");
        int fhirPort = freePort();
        int managementPort = freePort();
        Path log = workingDirectory.resolve("run.log");
        Process run = new ProcessBuilder(JAVA, "-cp", System.getProperty("java.class.path"),
                "-Dsr2fhir.local.port=" + fhirPort, Sr2FhirLocalRun.class.getName(),
                "--management.server.port=" + managementPort, "--sr2fhir.validation.mode=off")
                .directory(workingDirectory.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String running = awaitLine(run, log, "sr2fhir is running", 300);
            assertThat(running).contains("http://127.0.0.1:" + fhirPort + "/fhir/DiagnosticReport")
                    .contains("console http://127.0.0.1:" + managementPort + "/");

            Files.write(workingDirectory.resolve("inbox").resolve(Path.of(example.group(1)).getFileName()), report);

            IGenericClient client = FhirContext.forR5Cached().newRestfulGenericClient("http://127.0.0.1:" + fhirPort + "/fhir");
            String search = "http://127.0.0.1:" + fhirPort + url.group(1);
            Bundle found = null;
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120); System.nanoTime() < deadline; ) {
                found = client.search().byUrl(search).returnBundle(Bundle.class).execute();
                if (found.getEntry().stream().anyMatch(e -> e.getResource() instanceof DiagnosticReport)) {
                    break;
                }
                Thread.sleep(1000);
            }
            assertThat(found.getEntry()).as(Files.readString(log)).extracting(Bundle.BundleEntryComponent::getResource)
                    .hasAtLeastOneElementOfType(DiagnosticReport.class).hasAtLeastOneElementOfType(Observation.class);
            assertThat(Files.readString(log)).doesNotContain("was delivered before");
        } finally {
            run.descendants().forEach(ProcessHandle::destroy);
            run.destroy();
            run.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private static String awaitLine(Process process, Path log, String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline && process.isAlive()) {
            for (String line : Files.readAllLines(log)) {
                if (line.contains(text)) {
                    return line;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no line '" + text + "' within " + seconds + " s:\n" + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
