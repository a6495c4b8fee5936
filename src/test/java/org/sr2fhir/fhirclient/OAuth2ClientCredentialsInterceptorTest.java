package org.sr2fhir.fhirclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r5.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sr2fhir.config.Sr2FhirProperties;
import org.sr2fhir.config.Sr2FhirProperties.ClientAuthenticationMethod;

class OAuth2ClientCredentialsInterceptorTest {
    private static final String SECRET = "s3cr3t/with+chars";
    /** A context of its own: the shared forR5Cached one carries whatever HTTP client other tests configured. */
    private static FhirContext context;

    private final MutableClock clock = new MutableClock();
    private FakeFhirServer server;

    @BeforeAll
    static void fhirContext() {
        context = FhirContext.forR5();
        context.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    }

    @AfterAll
    static void noContext() {
        context = null;
    }

    @BeforeEach
    void start() throws IOException {
        server = FakeFhirServer.http();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void tokenIsFetchedOnceAndSentAsBearerOnEveryRequest() {
        IGenericClient client = client(settings(server.tokenUrl(), "system/*.write", ClientAuthenticationMethod.CLIENT_SECRET_BASIC));
        read(client);
        read(client);

        assertThat(server.tokensIssued).hasValue(1);
        assertThat(server.fhirAuthorizations).containsExactly("Bearer token-1", "Bearer token-1");
        assertThat(server.tokenForms).containsExactly("grant_type=client_credentials&scope=system%2F*.write");
        // RFC 6749 §2.3.1: id and secret form-encoded, then HTTP basic
        assertThat(server.tokenAuthorizations).containsExactly("Basic " + Base64.getEncoder()
                .encodeToString("sr2fhir:s3cr3t%2Fwith%2Bchars".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void clientSecretPostPutsTheCredentialsInTheForm() {
        read(client(settings(server.tokenUrl(), null, ClientAuthenticationMethod.CLIENT_SECRET_POST)));

        assertThat(server.tokenAuthorizations).containsExactly("null");
        assertThat(server.tokenForms).containsExactly(
                "grant_type=client_credentials&client_id=sr2fhir&client_secret=s3cr3t%2Fwith%2Bchars");
    }

    @Test
    void tokenIsRefreshedShortlyBeforeItExpires() {
        server.expiresIn = 300L;
        IGenericClient client = client(settings(server.tokenUrl(), null, ClientAuthenticationMethod.CLIENT_SECRET_BASIC));
        read(client);
        clock.advance(Duration.ofSeconds(269));
        read(client);
        clock.advance(Duration.ofSeconds(1));
        read(client);

        assertThat(server.fhirAuthorizations).containsExactly("Bearer token-1", "Bearer token-1", "Bearer token-2");
    }

    @Test
    void tokenWithoutExpiresInIsRefetchedAfterTheDefaultLifetime() {
        server.expiresIn = null;
        IGenericClient client = client(settings(server.tokenUrl(), null, ClientAuthenticationMethod.CLIENT_SECRET_BASIC));
        read(client);
        clock.advance(OAuth2ClientCredentialsInterceptor.DEFAULT_LIFETIME.minus(OAuth2ClientCredentialsInterceptor.EXPIRY_MARGIN));
        read(client);

        assertThat(server.fhirAuthorizations).containsExactly("Bearer token-1", "Bearer token-2");
    }

    @Test
    void concurrentRequestsShareOneFetch() throws Exception {
        server.tokenDelay = Duration.ofMillis(300);
        IGenericClient client = client(settings(server.tokenUrl(), null, ClientAuthenticationMethod.CLIENT_SECRET_BASIC));

        runConcurrently(8, () -> read(client));

        assertThat(server.tokensIssued).hasValue(1);
        assertThat(server.fhirAuthorizations).hasSize(8).containsOnly("Bearer token-1");
    }

    @Test
    void concurrentRequestsShareOneFailedFetch() throws Exception {
        server.tokenDelay = Duration.ofMillis(300);
        server.tokenStatus = 503;
        IGenericClient client = client(settings(server.tokenUrl(), null, ClientAuthenticationMethod.CLIENT_SECRET_BASIC));

        List<Throwable> failures = runConcurrently(8, () -> read(client));

        assertThat(failures).hasSize(8).allSatisfy(failure -> assertThat(failure).isInstanceOf(FhirClientConnectionException.class));
        assertThat(server.tokenForms).hasSize(1);
        assertThat(server.fhirAuthorizations).isEmpty();
    }

    @Test
    void unauthorizedFromTheFhirServerDropsTheToken() {
        server.rejectedTokens.add("token-1");
        IGenericClient client = client(settings(server.tokenUrl(), null, ClientAuthenticationMethod.CLIENT_SECRET_BASIC));

        assertThatThrownBy(() -> read(client)).isInstanceOf(AuthenticationException.class);
        read(client);

        assertThat(server.fhirAuthorizations).containsExactly("Bearer token-1", "Bearer token-2");
    }

    @Test
    void unreachableTokenEndpointIsAConnectionFailure() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        IGenericClient client = client(settings("http://127.0.0.1:" + closedPort + "/token", null,
                ClientAuthenticationMethod.CLIENT_SECRET_BASIC));

        assertThatThrownBy(() -> read(client)).isInstanceOf(FhirClientConnectionException.class)
                .hasMessageContaining("OAuth2 token endpoint").hasMessageContaining("not reachable");
        assertThat(server.fhirAuthorizations).isEmpty();
    }

    @Test
    void slowTokenEndpointTimesOutAsAConnectionFailure() {
        server.tokenDelay = Duration.ofSeconds(3);
        IGenericClient client = client(new OAuth2ClientCredentialsInterceptor(
                settings(server.tokenUrl(), null, ClientAuthenticationMethod.CLIENT_SECRET_BASIC),
                HttpClient.newHttpClient(), Duration.ofMillis(300), clock));

        assertThatThrownBy(() -> read(client)).isInstanceOf(FhirClientConnectionException.class)
                .hasMessageContaining("not reachable");
    }

    @Test
    void serverErrorOfTheTokenEndpointIsAConnectionFailure() {
        server.tokenStatus = 502;
        IGenericClient client = client(settings(server.tokenUrl(), null, ClientAuthenticationMethod.CLIENT_SECRET_BASIC));

        assertThatThrownBy(() -> read(client)).isInstanceOf(FhirClientConnectionException.class).hasMessageContaining("HTTP 502");
    }

    @Test
    void refusedCredentialsAreAnAuthenticationFailureWithoutTheSecret() {
        server.tokenStatus = 401;
        IGenericClient client = client(settings(server.tokenUrl(), null, ClientAuthenticationMethod.CLIENT_SECRET_BASIC));

        assertThatThrownBy(() -> read(client)).isInstanceOfSatisfying(AuthenticationException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(401);
            assertThat(e.getMessage()).contains(server.tokenUrl(), "refused the client credentials", "HTTP 401",
                    "invalid_client").doesNotContain(SECRET).doesNotContain("s3cr3t");
        });
        assertThat(server.fhirAuthorizations).isEmpty();
    }

    private static Sr2FhirProperties.OAuth2 settings(String tokenUrl, String scope, ClientAuthenticationMethod method) {
        return new Sr2FhirProperties.OAuth2(URI.create(tokenUrl), "sr2fhir", SECRET, scope, method);
    }

    private IGenericClient client(Sr2FhirProperties.OAuth2 settings) {
        return client(new OAuth2ClientCredentialsInterceptor(settings, HttpClient.newHttpClient(), Duration.ofSeconds(5), clock));
    }

    private IGenericClient client(OAuth2ClientCredentialsInterceptor interceptor) {
        IGenericClient client = context.newRestfulGenericClient(server.fhirUrl());
        client.registerInterceptor(interceptor);
        return client;
    }

    private static void read(IGenericClient client) {
        client.read().resource(Patient.class).withId("p1").execute();
    }

    /** Runs {@code task} on {@code threads} threads released together; returns what they threw. */
    private static List<Throwable> runConcurrently(int threads, Runnable task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    task.run();
                    return null;
                }));
            }
            start.countDown();
            List<Throwable> failures = new ArrayList<>();
            for (Future<?> future : futures) {
                try {
                    future.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
            return failures;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
