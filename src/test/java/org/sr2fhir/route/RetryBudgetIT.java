package org.sr2fhir.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.hl7.fhir.r5.model.Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.sr2fhir.Sr2FhirApplication;
import org.sr2fhir.testserver.FhirTestServer;
import org.sr2fhir.tid1500.ReportCorpus;

/**
 * Issue 6: when the retry budget is spent the input goes to error/ marked retryable, and moving it back to the inbox
 * (the README's way) sends it once the server is back. A server of this class's own, since it is stopped.
 */
@CamelSpringBootTest
@SpringBootTest(classes = Sr2FhirApplication.class)
class RetryBudgetIT {
    private static final FhirTestServer SERVER = FhirTestServer.launch(0);
    private static final Path WORK = TestFolders.create("retry-budget-it");

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("sr2fhir.fhir.url", SERVER::baseUrl);
        TestFolders.registerInboxFolders(registry, WORK);
        registry.add("sr2fhir.delivery.retry-budget", () -> "3s");
        registry.add("sr2fhir.delivery.initial-backoff", () -> "200ms");
        registry.add("camel.main.routes-reload-enabled", () -> "false");
        registry.add("sr2fhir.linking.create-missing", () -> "true");
    }

    @AfterAll
    static void stopServer() {
        SERVER.close();
    }

    @Test
    void spentBudgetMarksTheInputRetryableAndMovingItBackSendsIt() throws Exception {
        Path source = ReportCorpus.ROOT.resolve("sr/ext_dwv-tid1500_sr-ruler.dcm");
        String uid = ReportCorpus.read(source).document().header().sopInstanceUid();
        SERVER.stop();
        TestFolders.dropAtomically(WORK.resolve("inbox"), "ruler.dcm", Files.readAllBytes(source));

        Path failed = WORK.resolve("error").resolve("ruler.dcm");
        Path reason = WORK.resolve("error").resolve("ruler.dcm.error.txt");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(failed) && Files.exists(reason));
        assertThat(reason).content().startsWith("FHIR server not reachable")
                .contains("kind: server-unreachable").contains("retryable: yes");

        SERVER.start();
        Files.move(failed, WORK.resolve("inbox").resolve("ruler.dcm"), StandardCopyOption.ATOMIC_MOVE);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(WORK.resolve("done").resolve("ruler.dcm")));
        Bundle reports = FhirContext.forR5Cached().newRestfulGenericClient(SERVER.baseUrl()).search()
                .byUrl("DiagnosticReport?identifier=urn:dicom:uid|urn:oid:" + uid).returnBundle(Bundle.class).execute();
        assertThat(reports.getEntry()).hasSize(1);
    }
}
