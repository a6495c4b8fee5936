package org.sr2fhir.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.sr2fhir.Sr2FhirApplication;
import org.sr2fhir.route.TestFolders;
import org.sr2fhir.testserver.FhirTestServer;
import org.sr2fhir.tid1500.ReportCorpus;

/**
 * The operations side of one running application (one start shared by the phases below, in order), against the
 * shared HAPI FHIR test server: readiness DOWN while the IG validator warms up, then UP; Prometheus counters after
 * 2 deliveries and 3 rejections; the journal through the REST API; a fixed report resent over the API and delivered;
 * the web console in a real browser; the FHIR server's health going DOWN and UP with the server; /actuator/info.
 */
@CamelSpringBootTest
@SpringBootTest(classes = Sr2FhirApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
        properties = {"spring.main.web-application-type=servlet", "management.server.port=0",
                "camel.main.routes-reload-enabled=false", "sr2fhir.linking.create-missing=true"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// Spring Boot's tests turn metrics export off unless asked: /actuator/prometheus is part of what is tested here
@AutoConfigureObservability(tracing = false)
@Import(ReadinessWatcher.class)
class OpsIT {
    private static final Path WORK = TestFolders.create("ops-it");
    private static final Path INBOX = WORK.resolve("inbox");
    private static final Path DONE = WORK.resolve("done");
    private static final Path ERROR = WORK.resolve("error");
    private static final Path SR = ReportCorpus.ROOT.resolve("sr");
    static final Path GOOD_1 = SR.resolve("ext_highdicom_sr_document_with_multiple_groups.dcm");
    static final Path GOOD_2 = SR.resolve("ext_dcmqi_sr-example_sr.dcm");
    static final Path GOOD_3 = SR.resolve("gen_pixelmed-tid1500_planar_scoord.dcm");
    static final Path GOOD_4 = SR.resolve("gen_dcmtk-tid1500_pet_volumetric_seg.dcm");
    static final Path GOOD_5 = SR.resolve("gen_dcmtk-tid1500_pet_volumetric_seg__deflated.dcm");
    static final Path BASIC_TEXT = SR.resolve("ext_orthanc-tests_StructuredReports_IM0.dcm");

    @LocalManagementPort
    int port;
    @Autowired
    ReadinessWatcher watcher;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("sr2fhir.fhir.url", () -> FhirTestServer.shared().baseUrl());
        TestFolders.registerInboxFolders(registry, WORK);
    }

    @BeforeAll
    static void corpusFilesExist() {
        for (Path file : List.of(GOOD_1, GOOD_2, GOOD_3, GOOD_4, GOOD_5, BASIC_TEXT)) {
            assertThat(file).exists();
        }
    }

    ManagementClient client() {
        return new ManagementClient(port);
    }

    @Test
    @Order(1)
    void readinessGoesFromDownToUpAsTheAppStarts() {
        ManagementClient client = client();
        // watched from the moment the management port opened: DOWN while Camel starts its routes and the IG
        // validator is built in the background, then UP
        List<ReadinessWatcher.Observation> seen = watcher.awaitUp(Duration.ofMinutes(3));
        assertThat(seen.get(0).status()).isEqualTo(503);
        assertThat(seen.get(0).body()).contains("\"status\":\"DOWN\"");
        assertThat(seen.get(seen.size() - 1).status()).isEqualTo(200);
        assertThat(seen).extracting(ReadinessWatcher.Observation::status).containsOnly(503, 200);
        assertThat(client.get("/actuator/health/liveness").status()).isEqualTo(200);

        JsonNode ready = client.get("/actuator/health/readiness").json();
        assertThat(ready.path("status").asText()).isEqualTo("UP");
        for (String component : List.of("readinessState", "camelHealth", "fhirServer", "igValidator", "folders",
                "dicomWeb", "db")) {
            assertThat(ready.at("/components/" + component + "/status").asText()).as(component).isEqualTo("UP");
        }
        assertThat(ready.at("/components/fhirServer/details/fhirVersion").asText()).isEqualTo("5.0.0");
    }

    @Test
    @Order(2)
    void prometheusCountsTwoDeliveriesAndThreeRejections() throws Exception {
        drop("good-1.dcm", GOOD_1);
        drop("good-2.dcm", GOOD_2);
        await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(DONE.resolve("good-1.dcm")));
        // the same bytes again: skipped, nothing sent
        drop("good-1-again.dcm", GOOD_1);
        TestFolders.dropAtomically(INBOX, "garbage.dcm", "this is not DICOM".getBytes());
        drop("basic-text.dcm", BASIC_TEXT);
        TestFolders.dropAtomically(INBOX, "fixable.dcm", "a report cut short".getBytes());
        await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(DONE.resolve("good-1.dcm"))
                && Files.exists(DONE.resolve("good-2.dcm")) && Files.exists(ERROR.resolve("garbage.dcm"))
                && Files.exists(ERROR.resolve("basic-text.dcm")) && Files.exists(ERROR.resolve("fixable.dcm"))
                && Files.exists(DONE.resolve("good-1-again.dcm")));

        String metrics = client().get("/actuator/prometheus").body();
        assertThat(sample(metrics, "sr2fhir_reports_delivered_total")).isEqualTo(2.0);
        assertThat(sample(metrics, "sr2fhir_reports_failed_total{kind=\"rejected\",retryable=\"false\"}")).isEqualTo(3.0);
        assertThat(sample(metrics, "sr2fhir_reports_latency_seconds_count")).isEqualTo(2.0);
        assertThat(sample(metrics, "sr2fhir_reports_entries_count")).isEqualTo(2.0);
        assertThat(sample(metrics, "sr2fhir_inbox_backlog_files")).isEqualTo(0.0);
        // every input but the duplicate is read; only the two readable TID 1500 reports reach map, validate, deliver
        assertThat(sample(metrics, "sr2fhir_stage_seconds_count{stage=\"read\"}")).isEqualTo(5.0);
        assertThat(sample(metrics, "sr2fhir_stage_seconds_count{stage=\"map\"}")).isEqualTo(2.0);
        assertThat(sample(metrics, "sr2fhir_stage_seconds_count{stage=\"validate\"}")).isEqualTo(2.0);
        assertThat(sample(metrics, "sr2fhir_stage_seconds_count{stage=\"deliver\"}")).isEqualTo(2.0);
        // Camel's route metrics (camel-micrometer)
        assertThat(metrics).containsPattern("camel_exchanges_total\\{[^}]*routeId=\"sr-inbox\"[^}]*} 6\\.0");
    }

    @Test
    @Order(3)
    void theJournalListsEachReportWithItsStatusAndReason() {
        ManagementClient client = client();
        Map<String, JsonNode> rows = rows(client.get("/api/reports").json());
        assertThat(rows).containsOnlyKeys("good-1.dcm", "good-2.dcm", "good-1-again.dcm", "garbage.dcm",
                "basic-text.dcm", "fixable.dcm");
        assertThat(rows.get("good-1-again.dcm").path("status").asText()).isEqualTo("skipped-duplicate");
        assertThat(rows.get("good-1.dcm").path("status").asText()).isEqualTo("delivered");
        assertThat(rows.get("good-1.dcm").path("serverStatuses").asText()).matches("(20[01] [A-Za-z]+ x\\d+(, )?)+");
        assertThat(rows.get("good-1.dcm").path("resources").asText()).contains("Observation x");
        assertThat(rows.get("good-1.dcm").path("srUid").asText()).isNotBlank();
        assertThat(rows.get("good-1.dcm").path("studyUid").asText()).isNotBlank();
        assertThat(rows.get("good-1.dcm").path("entries").asInt()).isPositive();
        assertThat(rows.get("basic-text.dcm").path("status").asText()).isEqualTo("rejected");
        assertThat(rows.get("basic-text.dcm").path("reason").asText()).contains("Basic Text SR, not a TID 1500 measurement report");
        assertThat(rows.get("garbage.dcm").path("status").asText()).isEqualTo("rejected");

        JsonNode garbage = client.get("/api/reports/" + rows.get("garbage.dcm").path("id").asLong()).json();
        assertThat(garbage.path("errorText").asText()).startsWith(garbage.path("reason").asText())
                .contains("retryable: no");

        assertThat(rows(client.get("/api/reports?status=rejected").json())).hasSize(3);
        assertThat(rows(client.get("/api/reports?sr=" + rows.get("good-2.dcm").path("srUid").asText()).json()))
                .containsOnlyKeys("good-2.dcm");
        JsonNode page = client.get("/api/reports?limit=2").json();
        assertThat(page.path("reports")).hasSize(2);
        assertThat(rows(client.get("/api/reports?limit=2&" + page.path("next").asText()).json())).hasSize(2);
        assertThat(client.get("/api/reports?status=lost").status()).isEqualTo(400);
        assertThat(client.get("/api/reports/999999").status()).isEqualTo(404);

        JsonNode summary = client.get("/api/summary").json();
        assertThat(summary.at("/lastHour/delivered").asLong()).isEqualTo(2);
        assertThat(summary.at("/lastHour/rejected").asLong()).isEqualTo(3);
        assertThat(summary.at("/lastHour/skipped-duplicate").asLong()).isEqualTo(1);
        assertThat(summary.path("deliveredLastHour").asLong()).isEqualTo(2);
    }

    @Test
    @Order(4)
    void aFixedReportResentOverTheApiIsDelivered() throws Exception {
        ManagementClient client = client();
        long id = rows(client.get("/api/reports").json()).get("fixable.dcm").path("id").asLong();
        long delivered = rows(client.get("/api/reports").json()).get("good-1.dcm").path("id").asLong();
        assertThat(client.post("/api/reports/" + delivered + "/resend").status()).isEqualTo(409);
        assertThat(client.post("/api/reports/999999/resend").status()).isEqualTo(404);

        // the operator fixes the file where it lies, then asks for a resend
        Files.write(ERROR.resolve("fixable.dcm"), Files.readAllBytes(GOOD_3));
        ManagementClient.Answer resent = client.post("/api/reports/" + id + "/resend");
        assertThat(resent.status()).isEqualTo(202);
        assertThat(resent.json().path("outcome").asText()).isEqualTo("resent");
        assertThat(ERROR.resolve("fixable.dcm.error.txt")).doesNotExist();
        // asking again changes nothing: accepted while waiting, or refused once the route has it in flight
        assertThat(client.post("/api/reports/" + id + "/resend").status()).isIn(202, 409);

        await().atMost(Duration.ofMinutes(1)).until(() -> Files.exists(DONE.resolve("fixable.dcm")));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                client.get("/api/reports/" + id).json().path("status").asText().equals("delivered"));
        JsonNode row = client.get("/api/reports/" + id).json();
        assertThat(row.path("attempts").asInt()).isEqualTo(2);
        assertThat(row.path("reason").isNull()).isTrue();
        assertThat(row.path("resendRequested").asBoolean()).isFalse();
        assertThat(ERROR.resolve("fixable.dcm")).doesNotExist();
        assertThat(client.post("/api/reports/" + id + "/resend").status()).isEqualTo(409);
        assertThat(rows(client.get("/api/reports").json())).hasSize(6);
    }

    @Test
    @Order(5)
    void theConsoleShowsReportsAndResendsAFixedOne() throws Exception {
        drop("console-good.dcm", GOOD_5);
        TestFolders.dropAtomically(INBOX, "console-bad.dcm", "not a report either".getBytes());
        try (ConsolePage console = ConsolePage.open(client().base() + "/")) {
            console.awaitStatus("console-good.dcm", "delivered");
            console.awaitStatus("console-bad.dcm", "rejected");
            assertThat(console.reason("console-bad.dcm")).startsWith("console-bad.dcm").contains("DICOM");
            assertThat(console.hasResend("console-good.dcm")).isFalse();

            Files.write(ERROR.resolve("console-bad.dcm"), Files.readAllBytes(GOOD_4));
            console.clickResend("console-bad.dcm");
            console.awaitStatus("console-bad.dcm", "delivered");
            assertThat(console.total("delivered")).isEqualTo(5);
        }
        assertThat(DONE.resolve("console-bad.dcm")).exists();
    }

    @Test
    @Order(6)
    void fhirServerHealthFollowsTheServer() {
        ManagementClient client = client();
        FhirTestServer server = FhirTestServer.shared();
        server.stop();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    client.get("/actuator/health").json().at("/components/fhirServer/status").asText().equals("DOWN"));
            assertThat(client.get("/actuator/health/readiness").status()).isEqualTo(503);
        } finally {
            server.start();
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
                client.get("/actuator/health").json().at("/components/fhirServer/status").asText().equals("UP"));
        assertThat(client.get("/actuator/health/readiness").status()).isEqualTo(200);
    }

    @Test
    @Order(7)
    void infoNamesTheIgAndTheServer() {
        JsonNode info = client().get("/actuator/info").json();
        assertThat(info.at("/ig/package").asText()).isEqualTo("hl7.fhir.uv.dicom-sr");
        assertThat(info.at("/ig/version").asText()).isNotBlank();
        assertThat(info.at("/fhirServer/url").asText()).isEqualTo(FhirTestServer.shared().baseUrl());
        assertThat(info.at("/fhirServer/fhirVersion").asText()).isEqualTo("5.0.0");
        assertThat(info.at("/build/version").asText()).isNotBlank();
    }

    private static void drop(String name, Path corpusFile) throws Exception {
        TestFolders.dropAtomically(INBOX, name, Files.readAllBytes(corpusFile));
    }

    static Map<String, JsonNode> rows(JsonNode page) {
        Map<String, JsonNode> rows = new TreeMap<>();
        page.path("reports").forEach(row -> rows.put(row.path("name").asText(), row));
        return rows;
    }

    /** The value of one sample line of Prometheus text output, e.g. {@code sr2fhir_reports_delivered_total 2.0}. */
    static double sample(String metrics, String series) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        List<String> found = new ArrayList<>();
        while (line.find()) {
            found.add(line.group(1));
        }
        assertThat(found).as(series + " in\n" + metrics).hasSize(1);
        return Double.parseDouble(found.get(0));
    }
}
