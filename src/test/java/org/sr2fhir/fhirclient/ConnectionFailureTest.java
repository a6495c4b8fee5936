package org.sr2fhir.fhirclient;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.io.IOException;
import java.net.ServerSocket;
import org.hl7.fhir.r5.model.CapabilityStatement;
import org.junit.jupiter.api.Test;

/** Decision D74: a refused connection reads "connection refused to <url>", not HAPI-1361's "Failed to parse response". */
class ConnectionFailureTest {

    @Test
    void aRefusedConnectionSaysSo() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        FhirContext fhir = FhirContext.forR5Cached();
        // as the application's client: no metadata check of its own before the first request
        fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        IGenericClient client = fhir.newRestfulGenericClient("http://127.0.0.1:" + port + "/fhir");

        Throwable failure = null;
        try {
            client.capabilities().ofType(CapabilityStatement.class).execute();
        } catch (RuntimeException e) {
            failure = e;
        }

        assertThat(failure).hasMessageContaining("HAPI-1361");
        assertThat(ConnectionFailure.describe(failure)).isEqualTo("connection refused to http://127.0.0.1:" + port);
    }
}
