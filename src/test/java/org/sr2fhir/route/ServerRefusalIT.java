package org.sr2fhir.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.sr2fhir.Sr2FhirApplication;
import org.sr2fhir.testserver.FhirTestServer;

/**
 * A report the server refuses ends in error/ with the server's OperationOutcome: with create-missing off, the bundle
 * refers to a Patient the empty server does not have, and HAPI rejects the whole transaction (stack.md §8).
 */
@CamelSpringBootTest
@SpringBootTest(classes = Sr2FhirApplication.class)
class ServerRefusalIT {
    private static final Path WORK = TestFolders.create("server-refusal-it");
    private static final Path INBOX = WORK.resolve("inbox");
    private static final Path ERROR = WORK.resolve("error");
    private static final Path CORPUS = Path.of(System.getProperty("sr2fhir.shared.dir", "../shared"), "corpus", "sr");

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("sr2fhir.fhir.url", () -> FhirTestServer.shared().baseUrl());
        registry.add("sr2fhir.inbox.dir", INBOX::toString);
        registry.add("sr2fhir.inbox.done-dir", () -> WORK.resolve("done").toString());
        registry.add("sr2fhir.inbox.error-dir", ERROR::toString);
        registry.add("camel.main.routes-reload-enabled", () -> "false");
        registry.add("sr2fhir.linking.create-missing", () -> "false");
    }

    @Test
    void refusedTransactionLeavesTheOperationOutcomeBesideTheInput() throws Exception {
        // a patient no other test creates
        byte[] content = Files.readAllBytes(CORPUS.resolve("ext_dcmqi_sr-example_sr.dcm"));
        TestFolders.dropAtomically(INBOX, "unknown-patient.dcm", content);

        Path reason = ERROR.resolve("unknown-patient.dcm.error.txt");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(reason) && Files.exists(ERROR.resolve("unknown-patient.dcm")));
        String text = Files.readString(reason);
        assertThat(text.lines().findFirst()).hasValueSatisfying(line -> assertThat(line).contains("FHIR server refused the transaction with HTTP"));
        assertThat(text).contains("kind: refused-by-server").contains("\"resourceType\": \"OperationOutcome\"");
    }
}
