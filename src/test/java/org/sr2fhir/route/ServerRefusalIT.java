package org.sr2fhir.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.sr2fhir.Sr2FhirApplication;
import org.sr2fhir.testserver.FhirTestServer;

/**
 * A report the server refuses ends in error/ with the server's OperationOutcome: with create-missing off, the bundle
 * refers by a conditional reference to a Patient the server does not have, and HAPI rejects the whole transaction
 * (stack.md §8). The report names no issuer of its Patient ID, so the default patient system applies (D4): a system
 * unique to this run makes sure no other test on the shared server has created that Patient.
 */
@CamelSpringBootTest
@SpringBootTest(classes = Sr2FhirApplication.class)
class ServerRefusalIT {
    private static final Path WORK = TestFolders.create("server-refusal-it");
    private static final Path INBOX = WORK.resolve("inbox");
    private static final Path ERROR = WORK.resolve("error");
    private static final String PATIENT_SYSTEM = "urn:sr2fhir:server-refusal-it:" + UUID.randomUUID();
    private static final Path CORPUS = Path.of(System.getProperty("sr2fhir.shared.dir", "../shared"), "corpus", "sr");

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("sr2fhir.fhir.url", () -> FhirTestServer.shared().baseUrl());
        registry.add("sr2fhir.inbox.dir", INBOX::toString);
        registry.add("sr2fhir.inbox.done-dir", () -> WORK.resolve("done").toString());
        registry.add("sr2fhir.inbox.error-dir", ERROR::toString);
        registry.add("camel.main.routes-reload-enabled", () -> "false");
        registry.add("sr2fhir.linking.create-missing", () -> "false");
        registry.add("sr2fhir.linking.default-patient-system", () -> PATIENT_SYSTEM);
    }

    @Test
    void refusedTransactionLeavesTheOperationOutcomeBesideTheInput() throws Exception {
        byte[] content = Files.readAllBytes(CORPUS.resolve("ext_dcmqi_sr-example_sr.dcm"));
        TestFolders.dropAtomically(INBOX, "unknown-patient.dcm", content);

        Path reason = ERROR.resolve("unknown-patient.dcm.error.txt");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(reason) && Files.exists(ERROR.resolve("unknown-patient.dcm")));
        String text = Files.readString(reason);
        assertThat(text.lines().findFirst()).hasValueSatisfying(line -> assertThat(line).contains("FHIR server refused the transaction with HTTP"));
        assertThat(text).contains("kind: refused-by-server").contains("\"resourceType\": \"OperationOutcome\"");
    }
}
