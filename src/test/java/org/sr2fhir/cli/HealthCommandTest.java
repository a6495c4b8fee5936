package org.sr2fhir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The Docker health check (decision D74): 2xx is healthy, anything else or no answer is not. */
class HealthCommandTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final HealthCommand command = new HealthCommand(new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of("SPRING_SECURITY_USER_NAME", "ops", "SPRING_SECURITY_USER_PASSWORD", "secret"));

    @Test
    void twoHundredIsHealthyAndFiveHundredThreeIsNot() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/up", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/down", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            assertThat(command.run(new String[] {base + "/up"})).isEqualTo(ConvertCommand.EXIT_OK);
            assertThat(command.run(new String[] {base + "/down"})).isEqualTo(ConvertCommand.EXIT_FAILED);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("/down: HTTP 503");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void noAnswerIsUnhealthy() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertThat(command.run(new String[] {"http://127.0.0.1:" + port + "/"})).isEqualTo(ConvertCommand.EXIT_FAILED);
    }

    @Test
    void theDefaultReadinessRequestCarriesTheEnvironmentsBasicCredentials() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicReference<String> authorization = new AtomicReference<>();
        server.createContext("/", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            HealthCommand local = new HealthCommand(new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    Map.of("SPRING_SECURITY_USER_NAME", "ops", "SPRING_SECURITY_USER_PASSWORD", "secret"),
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/actuator/health/readiness");
            assertThat(local.run(new String[0])).isEqualTo(ConvertCommand.EXIT_OK);
            assertThat(authorization.get()).isEqualTo("Basic b3BzOnNlY3JldA==");
        } finally {
            server.stop(0);
        }
    }
}
