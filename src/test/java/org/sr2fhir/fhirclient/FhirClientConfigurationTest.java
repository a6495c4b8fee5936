package org.sr2fhir.fhirclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.hl7.fhir.r5.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.sr2fhir.config.PropertiesConfiguration;

/** The FHIR client bean against real HTTP(S) servers: TLS trust, mutual TLS, OAuth2 over the same trust, timeouts. */
class FhirClientConfigurationTest {
    @TempDir
    static Path dir;
    private static TestKeyStores stores;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(PropertiesConfiguration.class, FhirClientConfiguration.class);

    @BeforeAll
    static void keyStores() throws Exception {
        stores = TestKeyStores.create(dir);
    }

    @Test
    void trustStoreLetsTheClientReachAServerWithAPrivateCertificate() throws Exception {
        try (FakeFhirServer server = FakeFhirServer.https(stores.serverContext(false), false)) {
            runner.withPropertyValues(settings(server, trustStore())).run(context ->
                    assertThat(read(context.getBean(IGenericClient.class)).getIdPart()).isEqualTo("p1"));
            runner.withPropertyValues(settings(server)).run(context ->
                    assertThatThrownBy(() -> read(context.getBean(IGenericClient.class)))
                            .isInstanceOf(FhirClientConnectionException.class)
                            .hasCauseInstanceOf(SSLHandshakeException.class));
        }
    }

    @Test
    void keyStoreGivesTheClientCertificateForMutualTls() throws Exception {
        try (FakeFhirServer server = FakeFhirServer.https(stores.serverContext(true), true)) {
            runner.withPropertyValues(settings(server, trustStore(), "sr2fhir.fhir.tls.key-store=" + stores.clientKeys(),
                    "sr2fhir.fhir.tls.key-store-password=" + TestKeyStores.PASSWORD)).run(context ->
                    assertThat(read(context.getBean(IGenericClient.class)).getIdPart()).isEqualTo("p1"));
            runner.withPropertyValues(settings(server, trustStore())).run(context ->
                    assertThatThrownBy(() -> read(context.getBean(IGenericClient.class)))
                            .isInstanceOf(FhirClientConnectionException.class));
            assertThat(server.fhirAuthorizations).hasSize(1);
        }
    }

    @Test
    void oauth2TokenIsFetchedOverTheSameTrust() throws Exception {
        try (FakeFhirServer server = FakeFhirServer.https(stores.serverContext(false), false)) {
            runner.withPropertyValues(settings(server, trustStore(), "sr2fhir.fhir.oauth2.token-url=" + server.tokenUrl(),
                    "sr2fhir.fhir.oauth2.client-id=sr2fhir", "sr2fhir.fhir.oauth2.client-secret=secret",
                    "sr2fhir.fhir.oauth2.client-authentication-method=client_secret_post")).run(context -> {
                IGenericClient client = context.getBean(IGenericClient.class);
                read(client);
                read(client);
            });
            assertThat(server.fhirAuthorizations).containsExactly("Bearer token-1", "Bearer token-1");
            assertThat(server.tokenForms).containsExactly(
                    "grant_type=client_credentials&client_id=sr2fhir&client_secret=secret");
        }
    }

    @Test
    void socketTimeoutStillApplies() throws Exception {
        try (FakeFhirServer server = FakeFhirServer.http()) {
            server.fhirDelay = Duration.ofSeconds(3);
            runner.withPropertyValues(settings(server, "sr2fhir.fhir.socket-timeout=500ms")).run(context -> {
                long start = System.nanoTime();
                assertThatThrownBy(() -> read(context.getBean(IGenericClient.class)))
                        .isInstanceOf(FhirClientConnectionException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
            });
        }
    }

    @Test
    void unusableStoresStopStartUpNamingTheSetting() {
        assertStartUpFails(List.of("sr2fhir.fhir.tls.trust-store=" + dir.resolve("missing.p12")),
                "sr2fhir.fhir.tls.trust-store", "missing.p12", "does not exist or is not readable");
        assertStartUpFails(List.of("sr2fhir.fhir.tls.trust-store=" + stores.clientTrust(),
                "sr2fhir.fhir.tls.trust-store-password=wrong"), "sr2fhir.fhir.tls.trust-store", "trust-store-password");
        assertStartUpFails(List.of("sr2fhir.fhir.tls.trust-store=" + stores.clientTrust(),
                "sr2fhir.fhir.tls.trust-store-password=" + TestKeyStores.PASSWORD,
                "sr2fhir.fhir.tls.trust-store-type=PKCS13"), "sr2fhir.fhir.tls.trust-store", "as PKCS13");
        assertStartUpFails(List.of("sr2fhir.fhir.tls.key-store=" + stores.clientKeys(),
                "sr2fhir.fhir.tls.key-store-password=wrong"), "sr2fhir.fhir.tls.key-store", "key-store-password");
    }

    private void assertStartUpFails(List<String> settings, String... expected) {
        runner.withPropertyValues(settings.toArray(String[]::new)).run(context -> {
            assertThat(context).hasFailed();
            for (String text : expected) {
                assertThat(context.getStartupFailure()).as(settings.toString()).hasStackTraceContaining(text);
            }
        });
    }

    private static String[] trustStore() {
        return new String[] {"sr2fhir.fhir.tls.trust-store=" + stores.clientTrust(),
                "sr2fhir.fhir.tls.trust-store-password=" + TestKeyStores.PASSWORD};
    }

    private static String[] settings(FakeFhirServer server, Object... more) {
        List<String> settings = new ArrayList<>(List.of("sr2fhir.fhir.url=" + server.fhirUrl()));
        for (Object setting : more) {
            settings.addAll(setting instanceof String[] array ? List.of(array) : List.of((String) setting));
        }
        return settings.toArray(String[]::new);
    }

    private static Patient read(IGenericClient client) {
        return client.read().resource(Patient.class).withId("p1").execute();
    }
}
