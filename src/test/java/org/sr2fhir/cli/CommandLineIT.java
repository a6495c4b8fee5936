package org.sr2fhir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar as a user runs it (decisions D72, D73, D75): help and version without starting the service, stdout
 * of convert holding only result lines, bad or unknown settings named with their value, the packaged defaults, and
 * no start without routes.
 */
class CommandLineIT {
    private static final Path JAR = Path.of("target", "sr2fhir.jar").toAbsolutePath();
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final Path CORPUS = Path.of(System.getProperty("sr2fhir.shared.dir", "../shared"), "corpus", "sr");

    @TempDir
    Path workingDirectory;

    record Run(int exitCode, String stdout, String stderr) {
    }

    @Test
    void helpPrintsUsageAndExitsWithoutStartingTheService() throws Exception {
        for (String option : List.of("--help", "-h")) {
            Run run = run(option);

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stdout()).contains("java -jar sr2fhir.jar convert <file-or-dir>... --out <dir>")
                    .contains("--version").contains("sr2fhir.fhir.url").contains("sr2fhir.validation.mode")
                    .contains("sr2fhir.fhir.version").contains("auto | R5 | R4")
                    .contains(workingDirectory.toRealPath() + "/application.yaml")
                    .doesNotContain("Started");
        }
    }

    @Test
    void versionAndConvertHelp() throws Exception {
        Run version = run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.stdout()).matches("sr2fhir \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");

        Run convertHelp = run("convert", "--help");
        assertThat(convertHelp.exitCode()).isZero();
        assertThat(convertHelp.stdout()).startsWith(ConvertCommand.USAGE).contains("--verbose").contains("exit code")
                .contains("--sr2fhir.fhir.version=R4");
    }

    @Test
    void convertWritesOnlyResultLinesAndTheSummaryToStdout() throws Exception {
        Path notDicom = Files.writeString(workingDirectory.resolve("notes.dcm"), "not DICOM");
        Run run = run("convert", CORPUS.resolve("ext_dcmqi_sr-example_sr.dcm").toString(), notDicom.toString(),
                "--out", workingDirectory.resolve("out").toString(), "--verbose");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout().lines()).hasSize(3).allSatisfy(line -> assertThat(line)
                .matches("(converted|rejected|failed) .*|converted=1 rejected=1 failed=0 ms=\\d+"));
    }

    @Test
    void aBadSettingIsNamedWithItsValue() throws Exception {
        Run service = run("--sr2fhir.fhir.url=notaurl");
        assertThat(service.exitCode()).isNotZero();
        assertThat(service.stdout() + service.stderr()).contains("sr2fhir.fhir.url: 'notaurl' is not an http(s) URL")
                .doesNotContain("urlHttp");

        Run convert = run("convert", CORPUS.toString(), "--out", workingDirectory.resolve("out").toString(),
                "--sr2fhir.fhir.url=notaurl");
        assertThat(convert.exitCode()).isEqualTo(ConvertCommand.EXIT_USAGE);
        assertThat(convert.stderr()).contains("sr2fhir.fhir.url: 'notaurl' is not an http(s) URL");
        assertThat(convert.stdout()).isEmpty();
    }

    @Test
    void anUnknownSettingStopsTheServiceAndTheCommand() throws Exception {
        Run service = run("--sr2fhir.fhir.ur=http://localhost:8080/fhir");
        assertThat(service.exitCode()).isNotZero();
        assertThat(service.stdout() + service.stderr()).contains("unknown setting(s)")
                .contains("sr2fhir.fhir.ur (in commandLineArgs)");

        Run convert = run("convert", CORPUS.toString(), "--out", workingDirectory.resolve("out").toString(),
                "--sr2fhir.fhir.ur=http://localhost:8080/fhir");
        assertThat(convert.exitCode()).isEqualTo(ConvertCommand.EXIT_USAGE);
        assertThat(convert.stderr()).contains("sr2fhir.fhir.ur (in commandLineArgs)");
    }

    /** Decision D35: with sr2fhir.fhir.version auto, a server that speaks neither R4 nor R5 stops start-up. */
    @Test
    void aServerOfAnotherFhirVersionStopsStartUpNamingWhatItSaid() throws Exception {
        HttpServer stu3 = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stu3.createContext("/fhir/metadata", exchange -> {
            byte[] body = ("{\"resourceType\":\"CapabilityStatement\",\"status\":\"active\",\"kind\":\"instance\","
                    + "\"date\":\"2026-01-01\",\"fhirVersion\":\"3.0.2\",\"format\":[\"json\"]}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        stu3.start();
        try {
            String url = "http://127.0.0.1:" + stu3.getAddress().getPort() + "/fhir";
            Run run = run("--sr2fhir.fhir.url=" + url, "--management.server.port=0", "--sr2fhir.validation.mode=off");
            assertThat(run.exitCode()).isNotZero();
            assertThat(run.stdout() + run.stderr()).contains(url).contains("'3.0.2'").doesNotContain("Started sr-inbox");
        } finally {
            stu3.stop(0);
        }
    }

    /** Decision D75: the Docker image without its mounts, or the jar alone in a folder, runs the packaged defaults. */
    @Test
    void withoutConfigurationThePackagedApplicationYamlAndRoutesRun() throws Exception {
        Path log = workingDirectory.resolve("service.txt");
        Process service = new ProcessBuilder(JAVA, "-jar", JAR.toString(), "--sr2fhir.fhir.url=http://127.0.0.1:9/fhir",
                "--management.server.port=0", "--sr2fhir.validation.mode=off").directory(workingDirectory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.readString(log).contains("Started sr-inbox") && service.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            assertThat(Files.readString(log)).contains("Started sr-inbox").contains("Started sr-to-fhir");
        } finally {
            service.destroy();
            service.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutAnyRouteTheServiceRefusesToStart() throws Exception {
        Files.createDirectories(workingDirectory.resolve("routes"));
        Run run = run("--camel.main.routes-include-pattern=file:routes/*.yml",
                "--sr2fhir.fhir.url=http://127.0.0.1:9/fhir", "--management.server.port=0",
                "--sr2fhir.validation.mode=off");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.stdout() + run.stderr()).contains("no routes loaded from file:routes/*.yml");
    }

    private Run run(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(JAVA, "-jar", JAR.toString()));
        command.addAll(List.of(arguments));
        Path stdout = workingDirectory.resolve("stdout.txt");
        Path stderr = workingDirectory.resolve("stderr.txt");
        Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", arguments) + " did not exit within 120 s: "
                    + Files.readString(stdout) + Files.readString(stderr));
        }
        return new Run(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }
}
