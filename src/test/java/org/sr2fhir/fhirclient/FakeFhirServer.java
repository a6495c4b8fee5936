package org.sr2fhir.fhirclient;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A test double on 127.0.0.1: under {@code /fhir} a FHIR server that answers every read with a Patient (or 401 for a
 * token in {@link #rejectedTokens}), under {@code /token} an OAuth2 token endpoint issuing "token-1", "token-2" ...
 * Each request's Authorization header and the token requests' form bodies are recorded.
 */
public final class FakeFhirServer implements AutoCloseable {
    public final List<String> fhirAuthorizations = new CopyOnWriteArrayList<>();
    public final List<String> tokenAuthorizations = new CopyOnWriteArrayList<>();
    public final List<String> tokenForms = new CopyOnWriteArrayList<>();
    public final Set<String> rejectedTokens = ConcurrentHashMap.newKeySet();
    public final AtomicInteger tokensIssued = new AtomicInteger();
    /** Status of the token endpoint's answers; not 200 = an RFC 6749 §5.2 error body with {@link #tokenError}. */
    public volatile int tokenStatus = 200;
    public volatile String tokenError = "invalid_client";
    /** expires_in of the issued tokens; null = left out. */
    public volatile Long expiresIn = 3600L;
    public volatile Duration tokenDelay = Duration.ZERO;
    public volatile Duration fhirDelay = Duration.ZERO;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(16);

    private FakeFhirServer(HttpServer server) {
        this.server = server;
        server.createContext("/fhir", this::fhir);
        server.createContext("/token", this::token);
        server.setExecutor(executor);
        server.start();
    }

    public static FakeFhirServer http() throws IOException {
        return new FakeFhirServer(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
    }

    /** Over HTTPS with {@code context}; with {@code needClientAuth} only a client showing a trusted certificate gets in. */
    public static FakeFhirServer https(SSLContext context, boolean needClientAuth) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters parameters) {
                SSLParameters ssl = context.getDefaultSSLParameters();
                ssl.setNeedClientAuth(needClientAuth);
                parameters.setSSLParameters(ssl);
            }
        });
        return new FakeFhirServer(server);
    }

    public String fhirUrl() {
        return baseUrl() + "/fhir";
    }

    public String tokenUrl() {
        return baseUrl() + "/token";
    }

    private String baseUrl() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    private void fhir(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        fhirAuthorizations.add(String.valueOf(authorization));
        pause(fhirDelay);
        if (authorization != null && rejectedTokens.contains(authorization.substring("Bearer ".length()))) {
            respond(exchange, 401, "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
                    + "\"code\":\"login\",\"diagnostics\":\"token revoked\"}]}", "application/fhir+json");
            return;
        }
        respond(exchange, 200, "{\"resourceType\":\"Patient\",\"id\":\"p1\"}", "application/fhir+json");
    }

    private void token(HttpExchange exchange) throws IOException {
        tokenAuthorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        tokenForms.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        pause(tokenDelay);
        if (tokenStatus != 200) {
            respond(exchange, tokenStatus, "{\"error\":\"" + tokenError + "\"}", "application/json");
            return;
        }
        Long lifetime = expiresIn;
        respond(exchange, 200, "{\"access_token\":\"token-" + tokensIssued.incrementAndGet() + "\",\"token_type\":\"Bearer\""
                + (lifetime == null ? "" : ",\"expires_in\":" + lifetime) + "}", "application/json");
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange exchange, int status, String body, String contentType) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
