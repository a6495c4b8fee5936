package org.sr2fhir.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.DiagnosticReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.sr2fhir.Sr2FhirApplication;
import org.sr2fhir.testserver.FhirTestServer;
import org.sr2fhir.tid1500.ReportReader;

/** The whole product against the real test FHIR server: inbox in, transaction out, file to done/ or error/. */
@CamelSpringBootTest
@SpringBootTest(classes = Sr2FhirApplication.class)
class InboxRouteIT {
    private static final Path WORK = TestFolders.create("inbox-route-it");
    private static final Path INBOX = WORK.resolve("inbox");
    private static final Path DONE = WORK.resolve("done");
    private static final Path ERROR = WORK.resolve("error");
    private static final Path CORPUS = Path.of(System.getProperty("sr2fhir.shared.dir", "../shared"), "corpus", "sr");

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("sr2fhir.fhir.url", () -> FhirTestServer.shared().baseUrl());
        TestFolders.registerInboxFolders(registry, WORK);
        registry.add("camel.main.routes-reload-enabled", () -> "false");
        // the test server starts empty: let the bundle create the Patient / ImagingStudy it refers to (D3)
        registry.add("sr2fhir.linking.create-missing", () -> "true");
    }

    @Test
    void everyGroupOfACorpusReportReachesTheServerAndTheFileMovesToDone() throws Exception {
        Path source = CORPUS.resolve("ext_highdicom_sr_document_with_multiple_groups.dcm");
        byte[] content = Files.readAllBytes(source);
        String sopInstanceUid = new ReportReader().read(content, source.getFileName().toString())
                .document().header().sopInstanceUid();

        TestFolders.dropAtomically(INBOX, "report.dcm", content);

        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(DONE.resolve("report.dcm")));
        assertThat(ERROR.resolve("report.dcm.error.txt")).doesNotExist();
        IGenericClient client = FhirContext.forR5Cached().newRestfulGenericClient(FhirTestServer.shared().baseUrl());
        Bundle reports = client.search().forResource(DiagnosticReport.class)
                .where(DiagnosticReport.IDENTIFIER.exactly().systemAndIdentifier("urn:dicom:uid", "urn:oid:" + sopInstanceUid))
                .include(DiagnosticReport.INCLUDE_RESULT)
                .returnBundle(Bundle.class).execute();
        assertThat(reports.getEntry()).filteredOn(e -> e.getResource() instanceof DiagnosticReport).hasSize(1);
        // the file's 4 measurement groups arrive as 4 group Observations listed in the report's results
        DiagnosticReport report = (DiagnosticReport) reports.getEntry().stream()
                .filter(e -> e.getResource() instanceof DiagnosticReport).findFirst().orElseThrow().getResource();
        assertThat(report.getResult()).hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void garbageFileEndsInErrorWithItsReason(CapturedOutput output) throws IOException {
        TestFolders.dropAtomically(INBOX, "garbage.dcm", "this is not DICOM".getBytes());

        Path moved = ERROR.resolve("garbage.dcm");
        Path reason = ERROR.resolve("garbage.dcm.error.txt");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(moved) && Files.exists(reason));
        assertThat(Files.readAllLines(reason).get(0)).startsWith("garbage.dcm").doesNotContain("unexpected error");
        assertThat(DONE.resolve("garbage.dcm")).doesNotExist();
        assertThat(INBOX.resolve("garbage.dcm")).doesNotExist();
        // decision D74: one line for the rejection, not followed by Camel's "Rollback file strategy" warning
        assertThat(output.getAll()).containsOnlyOnce("rejected garbage.dcm").doesNotContain("Rollback file strategy");
    }
}
