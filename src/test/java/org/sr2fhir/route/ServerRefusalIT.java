package org.sr2fhir.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.hl7.fhir.r5.model.Bundle;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.sr2fhir.Sr2FhirApplication;
import org.sr2fhir.fhir.MappingSettings;
import org.sr2fhir.fhir.ReportMapper;
import org.sr2fhir.testserver.FhirTestServer;
import org.sr2fhir.tid1500.ReportReader;

/**
 * A report the server refuses ends in error/ with the server's OperationOutcome, and the rest of the batch goes
 * through: with create-missing off, a bundle refers by conditional references to a Patient and ImagingStudy the
 * server must already have (D3); HAPI rejects the whole transaction when one is missing (stack.md §8). The reports
 * name no issuer of their Patient ID, so the default patient system applies (D4): a system unique to this run makes
 * sure no other test on the shared server has created those Patients.
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
        TestFolders.registerInboxFolders(registry, WORK);
        registry.add("camel.main.routes-reload-enabled", () -> "false");
        registry.add("sr2fhir.linking.create-missing", () -> "false");
        registry.add("sr2fhir.linking.default-patient-system", () -> PATIENT_SYSTEM);
    }

    @Test
    void refusedTransactionLeavesTheOperationOutcomeBesideTheInputWhileTheRestGoesThrough() throws Exception {
        byte[] known = Files.readAllBytes(CORPUS.resolve("ext_highdicom_sr_document_with_multiple_groups.dcm"));
        createPatientAndStudyOf(known);
        byte[] content = Files.readAllBytes(CORPUS.resolve("ext_dcmqi_sr-example_sr.dcm"));
        TestFolders.dropAtomically(INBOX, "unknown-patient.dcm", content);
        TestFolders.dropAtomically(INBOX, "known-patient.dcm", known);

        Path reason = ERROR.resolve("unknown-patient.dcm.error.txt");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(reason) && Files.exists(ERROR.resolve("unknown-patient.dcm")));
        String text = Files.readString(reason);
        assertThat(text.lines().findFirst()).hasValueSatisfying(line -> assertThat(line).contains("FHIR server refused the transaction with HTTP"));
        assertThat(text).contains("kind: refused-by-server").contains("retryable: no")
                .contains("\"resourceType\": \"OperationOutcome\"");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(WORK.resolve("done").resolve("known-patient.dcm")));
        assertThat(ERROR.resolve("known-patient.dcm.error.txt")).doesNotExist();
    }

    /** What the hospital's systems would have done before the report arrives: the Patient and ImagingStudy exist. */
    private static void createPatientAndStudyOf(byte[] report) throws Exception {
        MappingSettings settings = new MappingSettings(ZoneId.of("UTC"), true, MappingSettings.IdStrategy.DETERMINISTIC,
                Map.of(), PATIENT_SYSTEM, "urn:sr2fhir:accession", Map.of(), false, 0);
        Bundle bundle = new ReportMapper(settings).convert(new ReportReader().read(report, "known-patient.dcm"));
        // with create-missing on, exactly those resources are conditional creates (ifNoneExist)
        bundle.getEntry().removeIf(entry -> !entry.getRequest().hasIfNoneExist());
        assertThat(bundle.getEntry()).extracting(entry -> entry.getResource().fhirType()).contains("Patient", "ImagingStudy");
        FhirContext.forR5Cached().newRestfulGenericClient(FhirTestServer.shared().baseUrl())
                .transaction().withBundle(bundle).execute();
    }
}
