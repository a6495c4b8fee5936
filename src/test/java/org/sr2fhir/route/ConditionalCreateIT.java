package org.sr2fhir.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.hl7.fhir.r5.model.Bundle;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.sr2fhir.Sr2FhirApplication;
import org.sr2fhir.testserver.FhirTestServer;
import org.sr2fhir.tid1500.ReportCorpus;

/**
 * The alternative identity of decision D5 (sr2fhir.fhir.ids=conditional-create: POST + ifNoneExist on each
 * resource's identifiers) together with a report split into several transactions (D6,
 * sr2fhir.fhir.max-entries-per-bundle), against the real server: the report is committed, and the same report again
 * (its DICOM JSON twin: other bytes, so the idempotent consumer lets it through) creates nothing new.
 */
@CamelSpringBootTest
@SpringBootTest(classes = Sr2FhirApplication.class)
class ConditionalCreateIT {
    private static final Path WORK = TestFolders.create("conditional-create-it");
    private static final Path INBOX = WORK.resolve("inbox");
    private static final Path DONE = WORK.resolve("done");
    private static final List<String> TYPES = List.of("Patient", "ImagingStudy", "Observation", "ImagingSelection",
            "BodyStructure", "Device", "DiagnosticReport", "Practitioner", "ServiceRequest");

    private final IGenericClient client = FhirContext.forR5Cached().newRestfulGenericClient(FhirTestServer.shared().baseUrl());

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("sr2fhir.fhir.url", () -> FhirTestServer.shared().baseUrl());
        TestFolders.registerInboxFolders(registry, WORK);
        registry.add("camel.main.routes-reload-enabled", () -> "false");
        registry.add("sr2fhir.linking.create-missing", () -> "true");
        registry.add("sr2fhir.fhir.ids", () -> "conditional-create");
        registry.add("sr2fhir.fhir.max-entries-per-bundle", () -> "8");
    }

    @Test
    void splitReportIsCommittedOnceAndItsTwinAddsNothing() throws Exception {
        // 5 groups, 23 entries; a report no other test sends to the shared server: created here with server-assigned
        // ids, the same report PUT later with deterministic ids would be a second set (README: choose once per server)
        String name = "gen_dcmjs-cs_multi_findings";
        TestFolders.dropAtomically(INBOX, "first.dcm", Files.readAllBytes(ReportCorpus.ROOT.resolve("sr/" + name + ".dcm")));
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(DONE.resolve("first.dcm")));
        Map<String, Integer> afterFirst = counts();
        assertThat(client.search().byUrl("DiagnosticReport?identifier=urn:dicom:uid|urn:oid:"
                + ReportCorpus.read(ReportCorpus.ROOT.resolve("sr/" + name + ".dcm")).document().header().sopInstanceUid())
                .returnBundle(Bundle.class).execute().getEntry()).hasSize(1);

        TestFolders.dropAtomically(INBOX, "twin.json", Files.readAllBytes(ReportCorpus.ROOT.resolve("json/" + name + ".json")));
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(DONE.resolve("twin.json")));
        assertThat(counts()).isEqualTo(afterFirst);
    }

    private Map<String, Integer> counts() {
        Map<String, Integer> counts = new TreeMap<>();
        TYPES.forEach(type -> counts.put(type,
                client.search().byUrl(type + "?_summary=count").returnBundle(Bundle.class).execute().getTotal()));
        return counts;
    }
}
