package org.sr2fhir.testserver;

import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.r5.JpaR5Config;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real HAPI FHIR JPA R5 (or R4, issue 11) server (H2 in memory) on 127.0.0.1, for integration tests and the embedded default run.
 * Test class path only: it never goes into the production jar. Start-up costs 20-50 s, so tests share one
 * instance per JVM through {@link #shared()}. {@link #stop()} and {@link #start()} close and reopen the HTTP
 * port only (the data and the port number survive), to simulate a server that is down for a while.
 */
public final class FhirTestServer implements AutoCloseable {
    private static FhirTestServer shared;
    private static FhirTestServer sharedR4;

    private final int port;
    private final FhirVersionEnum version;
    private volatile ConfigurableApplicationContext context;

    private FhirTestServer(int port, FhirVersionEnum version) {
        this.port = port;
        this.version = version;
    }

    /** The server shared by every test of this JVM, started on first use on a free port. */
    public static synchronized FhirTestServer shared() {
        if (shared == null) {
            FhirTestServer server = launch(freePort());
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "fhir-test-server-shutdown"));
            shared = server;
        }
        return shared;
    }

    /** The R4 server shared by every test of this JVM (issue 11), started on first use on a free port. */
    public static synchronized FhirTestServer sharedR4() {
        if (sharedR4 == null) {
            FhirTestServer server = launch(0, FhirVersionEnum.R4);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "fhir-test-server-r4-shutdown"));
            sharedR4 = server;
        }
        return sharedR4;
    }

    /** An R5 server of its own on the given port (0 = any free port); the caller closes it. */
    public static FhirTestServer launch(int port) {
        return launch(port, FhirVersionEnum.R5);
    }

    /** A server of its own speaking {@code version} (R5 or R4) on the given port (0 = any free port). */
    public static FhirTestServer launch(int port, FhirVersionEnum version) {
        FhirTestServer server = new FhirTestServer(port == 0 ? freePort() : port, version);
        server.boot();
        return server;
    }

    /** e.g. {@code http://127.0.0.1:41234/fhir} */
    public String baseUrl() {
        return "http://127.0.0.1:" + port + "/fhir";
    }

    public int port() {
        return port;
    }

    /** Closes the HTTP port: clients now get "connection refused". */
    public synchronized void stop() {
        ((WebServerApplicationContext) context).getWebServer().stop();
    }

    /** Opens the HTTP port again after {@link #stop()}, on the same port with the same data. */
    public synchronized void start() {
        ((WebServerApplicationContext) context).getWebServer().start();
    }

    /** Shuts the whole server down; it cannot be started again. */
    public synchronized void close() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

    /**
     * Boots on a thread of its own: a test's Spring Boot context may be starting on the calling thread, and
     * Spring Boot's test hook for that start is thread-bound; it must not capture this second application.
     */
    private void boot() {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread starter = new Thread(() -> {
            try {
                context = startContext();
            } catch (RuntimeException e) {
                failure.set(e);
            }
        }, "fhir-test-server-start");
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the FHIR test server was starting", e);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        warmUpCapabilityStatement();
    }

    /**
     * The first {@code GET metadata} builds the server's CapabilityStatement, which can take longer than a client's
     * 10 s read timeout on a loaded machine; it is asked once here, with time to spare, so tests get a warm server.
     */
    private void warmUpCapabilityStatement() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/metadata"))
                .timeout(Duration.ofMinutes(5)).GET().build();
        try {
            HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new UncheckedIOException("the FHIR test server did not answer GET metadata", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the FHIR test server was warming up", e);
        }
    }

    private ConfigurableApplicationContext startContext() {
        Class<?> jpaVersion = version == FhirVersionEnum.R4 ? JpaR4Config.class : JpaR5Config.class;
        return new SpringApplicationBuilder(FhirTestServerConfig.class, jpaVersion)
                .web(WebApplicationType.SERVLET)
                .logStartupInfo(false)
                .registerShutdownHook(false)
                // command-line arguments win over any application.* of the application's own test set-up
                .run("--spring.config.name=fhir-test-server",
                        "--spring.main.web-application-type=servlet",
                        "--spring.main.banner-mode=off",
                        "--spring.main.allow-circular-references=true",
                        "--server.address=127.0.0.1",
                        "--server.port=" + port);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
