package org.sr2fhir.dicomweb;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.sr2fhir.Prerequisites;

/**
 * A real Orthanc (Debian's orthanc + orthanc-dicomweb) for integration tests, reachable only from this machine.
 *
 * <p>Orthanc 1.10 binds every interface whatever RemoteAccessAllowed says, so it runs in its own network namespace
 * with only loopback up ({@code ip netns add}); nothing outside that namespace can reach it. The test JVM reaches
 * its HTTP port through a socat forwarder bound to 127.0.0.1 on the host, whose children enter the namespace for
 * each connection. storescu runs inside the namespace too. Ports are chosen free on the host and reused inside.
 * Orthanc and the forwarder are stopped by their PIDs and the namespace is deleted on {@link #close()} (also from a
 * shutdown hook). Needs root (or CAP_SYS_ADMIN) for {@code ip netns}.
 */
final class OrthancServer implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final List<Path> PLUGIN_CANDIDATES = List.of(
            Path.of("/usr/share/orthanc/plugins/libOrthancDicomWeb.so"),
            Path.of("/usr/lib/orthanc/libOrthancDicomWeb.so"),
            Path.of("/usr/lib/x86_64-linux-gnu/orthanc/plugins/libOrthancDicomWeb.so"));

    private final String namespace;
    private final Path workDir;
    private final Path config;
    private final int httpPort;
    private final int dicomPort;
    private final Thread shutdownHook = new Thread(this::closeQuietly, "orthanc-cleanup");
    private Process orthanc;
    private Process forwarder;
    private int starts;

    private OrthancServer(Path workDir) throws IOException {
        this.namespace = "sr2fhir-it-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        this.workDir = workDir;
        this.httpPort = freePort();
        this.dicomPort = freePort();
        this.config = workDir.resolve("orthanc.json");
        Path plugin = Prerequisites.file("orthanc-dicomweb", PLUGIN_CANDIDATES.toArray(Path[]::new));
        Path storage = Files.createDirectories(workDir.resolve("storage"));
        Files.writeString(config, """
                {
                  "Name": "sr2fhir-it",
                  "StorageDirectory": "%1$s",
                  "IndexDirectory": "%1$s",
                  "HttpPort": %2$d,
                  "DicomPort": %3$d,
                  "DicomAet": "ORTHANC",
                  "DicomCheckCalledAet": false,
                  "RemoteAccessAllowed": false,
                  "AuthenticationEnabled": false,
                  "HttpDescribeErrors": true,
                  "Plugins": ["%4$s"],
                  "DicomWeb": { "Enable": true, "Root": "/dicom-web/" }
                }
                """.formatted(storage, httpPort, dicomPort, plugin));
    }

    /** Creates the namespace, starts Orthanc in it and the forwarder, and waits until DICOMweb answers. */
    static OrthancServer start(Path workDir) throws IOException, InterruptedException {
        Prerequisites.executable("orthanc", Path.of("/usr/sbin/Orthanc"));
        OrthancServer server = new OrthancServer(workDir);
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        try {
            run(List.of("ip", "netns", "add", server.namespace));
            run(List.of("ip", "netns", "exec", server.namespace, "ip", "link", "set", "lo", "up"));
            server.forwarder = new ProcessBuilder("socat",
                    "TCP-LISTEN:" + server.httpPort + ",bind=127.0.0.1,reuseaddr,fork",
                    // quoted: socat would otherwise read the inner address's colons as EXEC options
                    "EXEC:\"ip netns exec " + server.namespace + " socat STDIO TCP:127.0.0.1:" + server.httpPort + "\"")
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("socat.log").toFile())
                    .start();
            server.startOrthanc();
            return server;
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The DICOMweb root as the test JVM reaches it (through the forwarder). */
    URI dicomWebUrl() {
        return URI.create("http://127.0.0.1:" + httpPort + "/dicom-web");
    }

    /** Starts (again) the Orthanc process on the same storage, waiting until it answers. */
    synchronized void startOrthanc() throws IOException, InterruptedException {
        if (orthanc != null && orthanc.isAlive()) {
            return;
        }
        orthanc = new ProcessBuilder("ip", "netns", "exec", namespace, "/usr/sbin/Orthanc", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("orthanc-" + (++starts) + ".log")
                        .toFile()))
                .start();
        awaitReady(Duration.ofSeconds(60));
    }

    /** Stops the Orthanc process by its PID (ip netns exec execs Orthanc, so it is Orthanc's PID). */
    synchronized void stopOrthanc() throws InterruptedException {
        if (orthanc == null) {
            return;
        }
        orthanc.destroy();
        if (!orthanc.waitFor(30, TimeUnit.SECONDS)) {
            orthanc.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        orthanc = null;
    }

    /** Stores files with dcmtk storescu -R (only the presentation contexts the files need, e.g. Comprehensive 3D SR). */
    void store(List<Path> files) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "storescu", "-R",
                "-aec", "ORTHANC", "127.0.0.1", String.valueOf(dicomPort)));
        files.forEach(f -> command.add(f.toString()));
        run(command);
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!orthanc.isAlive()) {
                throw new IllegalStateException("Orthanc exited with " + orthanc.exitValue() + "; see " + workDir);
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(dicomWebUrl()
                        + "/studies?limit=1")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200 || response.statusCode() == 204) {
                    return;
                }
            } catch (IOException notYet) {
                // Orthanc still starting: the forwarder closes the connection
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Orthanc did not answer within " + timeout + "; see " + workDir);
    }

    @Override
    public synchronized void close() {
        try {
            stopOrthanc();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (forwarder != null) {
            // the forwarder's per-connection children first, by their PIDs, then the listener itself
            forwarder.descendants().forEach(ProcessHandle::destroy);
            forwarder.destroy();
            try {
                forwarder.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            forwarder = null;
        }
        try {
            run(List.of("ip", "netns", "del", namespace));
        } catch (IOException | InterruptedException | RuntimeException e) {
            // already gone (start failed before creating it)
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // called from the hook itself
        }
    }

    private void closeQuietly() {
        close();
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(6, command.size())))
                    + " ... failed: " + output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
