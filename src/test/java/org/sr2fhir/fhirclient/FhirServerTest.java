package org.sr2fhir.fhirclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sr2fhir.config.Sr2FhirProperties;
import org.sr2fhir.fhir.MappingSettings;

/** Decisions D35 and D42: the FHIR version a server declares, and its bundle entry limit. */
class FhirServerTest {
    private HttpServer http;
    private final AtomicInteger metadataRequests = new AtomicInteger();
    private volatile int status = 200;
    private volatile String fhirVersion = "4.0.1";
    private volatile String software = "HAPI FHIR Server";

    @BeforeEach
    void start() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/fhir/metadata", exchange -> {
            metadataRequests.incrementAndGet();
            byte[] body = ("{\"resourceType\":\"CapabilityStatement\",\"status\":\"active\",\"kind\":\"instance\","
                    + "\"date\":\"2026-01-01\",\"fhirVersion\":\"" + fhirVersion + "\",\"format\":[\"json\"],"
                    + "\"software\":{\"name\":\"" + software + "\",\"version\":\"1\"}}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
            exchange.sendResponseHeaders(status, status == 200 ? body.length : -1);
            if (status == 200) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    @Test
    void theDeclaredVersionIsSpokenAndReadAgainAfterAnOutage() {
        FhirServer server = server(Sr2FhirProperties.FhirVersionSetting.AUTO, null);
        assertThat(server.version()).isEqualTo(FhirVersionEnum.R4);
        assertThat(server.version()).isEqualTo(FhirVersionEnum.R4);
        assertThat(metadataRequests).hasValue(1);
        fhirVersion = "5.0.0";
        server.forget();
        assertThat(server.version()).isEqualTo(FhirVersionEnum.R5);
        assertThat(metadataRequests).hasValue(2);
    }

    @Test
    void anotherVersionIsRefusedNamingWhatTheServerSaid() {
        fhirVersion = "3.0.2";
        FhirServer server = server(Sr2FhirProperties.FhirVersionSetting.AUTO, null);
        assertThatThrownBy(server::version).isInstanceOf(FhirServer.UnsupportedFhirServerException.class)
                .hasMessageContaining("'3.0.2'");
        assertThatThrownBy(server::checkAtStart).isInstanceOf(FhirServer.UnsupportedFhirServerException.class);
    }

    @Test
    void aConfiguredVersionIsNotChecked() {
        fhirVersion = "3.0.2";
        assertThat(server(Sr2FhirProperties.FhirVersionSetting.R4, null).version()).isEqualTo(FhirVersionEnum.R4);
        assertThat(metadataRequests).hasValue(0);
    }

    @Test
    void aServerWithoutCapabilityStatementGetsR5() {
        status = 404;
        assertThat(server(Sr2FhirProperties.FhirVersionSetting.AUTO, null).version()).isEqualTo(FhirVersionEnum.R5);
    }

    @Test
    void entryLimitIsTheKnownServersUnlessSet() {
        software = "Microsoft FHIR Server";
        FhirServer azure = server(Sr2FhirProperties.FhirVersionSetting.AUTO, null);
        azure.version();
        assertThat(azure.maxEntriesPerBundle()).isEqualTo(500);
        FhirServer never = server(Sr2FhirProperties.FhirVersionSetting.AUTO, 0);
        never.version();
        assertThat(never.maxEntriesPerBundle()).isZero();
        software = "HAPI FHIR Server";
        FhirServer hapi = server(Sr2FhirProperties.FhirVersionSetting.AUTO, null);
        hapi.version();
        assertThat(hapi.maxEntriesPerBundle()).isZero();
    }

    private FhirServer server(Sr2FhirProperties.FhirVersionSetting version, Integer maxEntries) {
        URI url = URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/fhir");
        Sr2FhirProperties.Fhir settings = new Sr2FhirProperties.Fhir(url, Duration.ofSeconds(5), Duration.ofSeconds(5),
                null, null, null, false, MappingSettings.IdStrategy.DETERMINISTIC, maxEntries, version,
                new Sr2FhirProperties.OAuth2(null, null, null, null,
                        Sr2FhirProperties.ClientAuthenticationMethod.CLIENT_SECRET_BASIC),
                new Sr2FhirProperties.Tls(null, null, "PKCS12", null, null, "PKCS12"));
        FhirContext fhir = FhirContext.forR5Cached();
        fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        return new FhirServer(fhir.newRestfulGenericClient(url.toString()), settings);
    }
}
