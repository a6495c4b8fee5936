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

    @Test
    void oversizedFilesAndOverlongNamesEndInErrorWithoutStoppingTheInbox() throws Exception {
        // decision D48: a 2 GiB file (sparse: it costs no disk) is refused on its size, never read
        Path huge = INBOX.resolve("huge.dcm");
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(2L << 30);
        }
        // decision D49: a 250-byte name leaves no room for ".error.txt"; in error/ it is shortened, with its reason
        String longName = "n".repeat(246) + ".dcm";
        // written in place: the temporary name dropAtomically uses would be too long itself
        Files.write(INBOX.resolve(longName), "not DICOM either".getBytes());
        TestFolders.dropAtomically(INBOX, "after-the-hostile-ones.dcm",
                Files.readAllBytes(CORPUS.resolve("ext_highdicom_sr_document.dcm")));

        await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(DONE.resolve("after-the-hostile-ones.dcm"))
                && Files.exists(ERROR.resolve("huge.dcm.error.txt")));
        assertThat(Files.readString(ERROR.resolve("huge.dcm.error.txt")))
                .contains("larger than sr2fhir.limits.max-input-size").contains("it was not read");
        assertThat(ERROR.resolve("huge.dcm")).exists();
        String shortened = org.sr2fhir.inbox.InboxNames.fitting(longName, ".error.txt");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(ERROR.resolve(shortened + ".error.txt")));
        assertThat(ERROR.resolve(shortened)).exists();
        assertThat(Files.readString(ERROR.resolve(shortened + ".error.txt"))).contains("file: " + longName);
        try (var left = Files.list(INBOX)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("nnnn") || n.equals("huge.dcm"));
        }
    }

    @Test
    void aLaterFileWithAnArchivedNameIsKeptBesideIt() throws Exception {
        // decision D49: done/ never loses an archived input
        TestFolders.dropAtomically(INBOX, "same-name.dcm",
                Files.readAllBytes(CORPUS.resolve("ext_highdicom_sr_document_with_multiple_groups.dcm")));
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(DONE.resolve("same-name.dcm")));
        byte[] second = Files.readAllBytes(CORPUS.resolve("ext_dcmqi_sr-example_sr.dcm"));
        TestFolders.dropAtomically(INBOX, "same-name.dcm", second);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(DONE.resolve("same-name__2.dcm")));
        assertThat(Files.readAllBytes(DONE.resolve("same-name__2.dcm"))).isEqualTo(second);
        assertThat(Files.readAllBytes(DONE.resolve("same-name.dcm"))).isNotEqualTo(second);
    }
}
