package org.sr2fhir.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.sr2fhir.Sr2FhirApplication;
import org.sr2fhir.journal.PostgresServer;
import org.sr2fhir.route.TestFolders;
import org.sr2fhir.testserver.FhirTestServer;

/**
 * The journal on a real PostgreSQL (Debian's package, a cluster of this test's own), and the management port with
 * HTTP basic authentication: the application migrates the schema, records a delivered and a rejected report, and a
 * second start of the application on the same database lists them and goes on recording.
 */
class PostgresJournalIT {
    private static final String USER = "ops";
    private static final String PASSWORD = "s3cret-for-tests";

    private final Path work = TestFolders.create("postgres-journal-it");

    @Test
    void theJournalOnPostgresqlSurvivesARestartBehindBasicAuthentication() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            Map<String, JsonNode> before;
            try (ConfigurableApplicationContext app = start(postgres)) {
                ManagementClient anonymous = new ManagementClient(managementPort(app));
                ManagementClient ops = new ManagementClient(managementPort(app), USER, PASSWORD);
                assertThat(anonymous.get("/api/reports").status()).isEqualTo(401);
                assertThat(new ManagementClient(managementPort(app), USER, "wrong").get("/api/summary").status())
                        .isEqualTo(401);
                await().atMost(Duration.ofMinutes(1)).until(() -> ops.get("/actuator/health/readiness").status() == 200);
                assertThat(ops.get("/actuator/health").json().at("/components/db/details/database").asText())
                        .isEqualTo("PostgreSQL");

                drop("good.dcm", Files.readAllBytes(OpsIT.GOOD_1));
                drop("bad.dcm", "not DICOM".getBytes());
                await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(work.resolve("done/good.dcm"))
                        && Files.exists(work.resolve("error/bad.dcm")));
                await().atMost(Duration.ofSeconds(10)).until(() -> OpsIT.rows(ops.get("/api/reports").json())
                        .get("bad.dcm").path("status").asText().equals("rejected"));
                before = OpsIT.rows(ops.get("/api/reports").json());
                assertThat(before.get("good.dcm").path("status").asText()).isEqualTo("delivered");
                assertThat(before.get("good.dcm").path("entries").asInt()).isPositive();
                assertThat(before.get("bad.dcm").path("reason").asText()).startsWith("bad.dcm");

                // a POST needs the CSRF token of the cookie the server set, sent back as a header (as the console does)
                long bad = before.get("bad.dcm").path("id").asLong();
                assertThat(ops.post("/api/reports/" + bad + "/resend").status()).isEqualTo(403);
                assertThat(ops.cookie("XSRF-TOKEN")).isNotBlank();
                Files.write(work.resolve("error/bad.dcm"), Files.readAllBytes(OpsIT.GOOD_2));
                assertThat(ops.post("/api/reports/" + bad + "/resend", "X-XSRF-TOKEN", ops.cookie("XSRF-TOKEN"))
                        .status()).isEqualTo(202);
                await().atMost(Duration.ofMinutes(1)).until(() -> Files.exists(work.resolve("done/bad.dcm")));
                await().atMost(Duration.ofSeconds(10)).until(() -> OpsIT.rows(ops.get("/api/reports").json())
                        .get("bad.dcm").path("status").asText().equals("delivered"));
                before = OpsIT.rows(ops.get("/api/reports").json());
            }

            try (ConfigurableApplicationContext app = start(postgres)) {
                ManagementClient ops = new ManagementClient(managementPort(app), USER, PASSWORD);
                Map<String, JsonNode> after = OpsIT.rows(ops.get("/api/reports").json());
                assertThat(after.keySet()).containsExactlyInAnyOrder("good.dcm", "bad.dcm");
                for (String name : after.keySet()) {
                    assertThat(after.get(name)).as(name).isEqualTo(before.get(name));
                }
                assertThat(after.get("bad.dcm").path("attempts").asInt()).isEqualTo(2);

                drop("again.dcm", Files.readAllBytes(OpsIT.GOOD_1));
                await().atMost(Duration.ofMinutes(1)).until(() -> OpsIT.rows(ops.get("/api/reports").json())
                        .containsKey("again.dcm") && OpsIT.rows(ops.get("/api/reports").json())
                        .get("again.dcm").path("status").asText().equals("skipped-duplicate"));
            }
        }
    }

    private ConfigurableApplicationContext start(PostgresServer postgres) {
        return new SpringApplicationBuilder(Sr2FhirApplication.class).run(
                "--spring.main.web-application-type=servlet",
                "--management.server.port=0",
                "--spring.security.user.name=" + USER,
                "--spring.security.user.password=" + PASSWORD,
                "--sr2fhir.journal.url=" + postgres.jdbcUrl(),
                "--sr2fhir.journal.username=" + postgres.user(),
                "--sr2fhir.fhir.url=" + FhirTestServer.shared().baseUrl(),
                "--sr2fhir.inbox.dir=" + work.resolve("inbox"),
                "--sr2fhir.inbox.done-dir=" + work.resolve("done"),
                "--sr2fhir.inbox.error-dir=" + work.resolve("error"),
                "--sr2fhir.delivery.delivered-store=" + work.resolve("delivered.txt"),
                "--sr2fhir.linking.create-missing=true",
                "--sr2fhir.validation.mode=off",
                "--camel.main.routes-reload-enabled=false");
    }

    private static int managementPort(ConfigurableApplicationContext app) {
        return Integer.parseInt(app.getEnvironment().getProperty("local.management.port"));
    }

    private void drop(String name, byte[] content) throws Exception {
        TestFolders.dropAtomically(work.resolve("inbox"), name, content);
    }
}
