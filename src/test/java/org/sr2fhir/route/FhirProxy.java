package org.sr2fhir.route;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A FHIR server seen through a proxy on 127.0.0.1 (issue 15): every request is forwarded to {@code target}, each
 * transaction (POST to the base) is recorded with its start, end, status and body, each can be held for
 * {@link #delay} first (so that reports in flight together overlap measurably), and a transaction whose body contains
 * a marker of {@link #refusals} is answered HTTP 500 that many times before it is forwarded.
 */
public final class FhirProxy implements AutoCloseable {
    /** One transaction as the proxy saw it: System.nanoTime() at its start and end. */
    public record Transaction(long start, long end, int status, String body) {
        boolean overlaps(Transaction other) {
            return start < other.end && other.start < end;
        }
    }

    private static final String REFUSAL = "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
            + "\"code\":\"exception\",\"diagnostics\":\"proxy: refused for the test\"}]}";

    public final List<Transaction> transactions = new CopyOnWriteArrayList<>();
    /** body marker → how many more times to answer HTTP 500 */
    public final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
    public volatile Duration delay = Duration.ZERO;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private final String target;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public FhirProxy(String targetBaseUrl) throws IOException {
        this.target = targetBaseUrl.replaceAll("/fhir/?$", "");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", this::forward);
        server.setExecutor(executor);
        server.start();
    }

    /** e.g. {@code http://127.0.0.1:41234/fhir} */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
    }

    /** The most transactions the proxy held at once. */
    public int mostInFlight() {
        return mostInFlight.get();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            boolean transaction = "POST".equals(exchange.getRequestMethod()) && path.matches("/fhir/?");
            long start = System.nanoTime();
            if (transaction) {
                mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            }
            int status;
            try {
                String text = new String(body, StandardCharsets.UTF_8);
                if (transaction && refused(text)) {
                    status = 500;
                    byte[] answer = REFUSAL.getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
                    exchange.sendResponseHeaders(status, answer.length);
                    exchange.getResponseBody().write(answer);
                } else {
                    if (transaction) {
                        Thread.sleep(delay.toMillis());
                    }
                    status = send(exchange, path, body);
                }
                if (transaction) {
                    transactions.add(new Transaction(start, System.nanoTime(), status, text));
                }
            } finally {
                if (transaction) {
                    inFlight.decrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean refused(String body) {
        for (Map.Entry<String, AtomicInteger> refusal : refusals.entrySet()) {
            if (body.contains(refusal.getKey()) && refusal.getValue().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return true;
            }
        }
        return false;
    }

    private int send(HttpExchange exchange, String path, byte[] body) throws IOException, InterruptedException {
        String query = exchange.getRequestURI().getRawQuery();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + path + (query == null ? "" : "?" + query)))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String header : List.of("Content-Type", "Accept", "Prefer", "Authorization")) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        response.headers().map().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("content-length") && !name.equalsIgnoreCase("transfer-encoding")
                    && !name.equalsIgnoreCase("connection") && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        byte[] answer = response.body();
        exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
        if (answer.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
        return response.statusCode();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
