package org.sr2fhir.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ServiceStatus;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.sr2fhir.Sr2FhirApplication;

/**
 * Live route editing (camel.main.routes-reload-*, remove-all-routes=false): on a private copy of routes/, a changed
 * route takes effect, a broken file leaves the main routes running, and the fixed file comes back. Garbage inputs
 * fail before delivery, so no FHIR server is needed.
 */
@CamelSpringBootTest
@SpringBootTest(classes = Sr2FhirApplication.class)
class RouteReloadIT {
    private static final Duration RELOAD = Duration.ofSeconds(30);
    private static final Path WORK = TestFolders.create("route-reload-it");
    private static final Path ROUTES = WORK.resolve("routes");
    private static final Path INBOX = WORK.resolve("inbox");
    private static final Path ERROR = WORK.resolve("error");
    private static final String MAIN_ROUTE_FILE = "sr-to-fhir.yaml";

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) throws IOException {
        Files.createDirectories(ROUTES);
        Files.copy(Path.of("routes", MAIN_ROUTE_FILE), ROUTES.resolve(MAIN_ROUTE_FILE));
        registry.add("sr2fhir.fhir.url", () -> "http://127.0.0.1:9/fhir");
        TestFolders.registerInboxFolders(registry, WORK);
        registry.add("camel.main.routes-include-pattern", () -> "file:" + ROUTES + "/*.yaml");
        registry.add("camel.main.routes-reload-enabled", () -> "true");
        registry.add("camel.main.routes-reload-directory", ROUTES::toString);
        registry.add("camel.main.routes-reload-remove-all-routes", () -> "false");
    }

    @Test
    void anAddedAndThenChangedRouteFileTakesEffect() throws IOException {
        writeRoute("greeting.yaml", probeRoute("greeting", "hello"));
        await().atMost(RELOAD).ignoreExceptions()
                .until(() -> "hello".equals(producer.requestBody("direct:greeting", "", String.class)));

        writeRoute("greeting.yaml", probeRoute("greeting", "hello again"));
        await().atMost(RELOAD).ignoreExceptions()
                .until(() -> "hello again".equals(producer.requestBody("direct:greeting", "", String.class)));
    }

    @Test
    void aChangedMainRouteTakesEffect() throws Exception {
        Path original = ROUTES.resolve(MAIN_ROUTE_FILE);
        String yaml = Files.readString(original);
        Path quarantine = WORK.resolve("quarantine");
        String changed = yaml.replace("moveFailed: \"{{sr2fhir.inbox.error-dir}}/",
                "moveFailed: \"" + quarantine + "/");
        assertThat(changed).isNotEqualTo(yaml);
        try {
            writeRoute(MAIN_ROUTE_FILE, changed);
            await().atMost(RELOAD).until(() -> inboxEndpointUri().contains("quarantine"));

            TestFolders.dropAtomically(INBOX, "after-edit.dcm", "not DICOM".getBytes(StandardCharsets.US_ASCII));
            await().atMost(RELOAD).until(() -> Files.exists(quarantine.resolve("after-edit.dcm")));
            assertThat(ERROR.resolve("after-edit.dcm.error.txt")).exists();
        } finally {
            writeRoute(MAIN_ROUTE_FILE, yaml);
            await().atMost(RELOAD).until(() -> !inboxEndpointUri().contains("quarantine"));
        }
    }

    @Test
    void aBrokenFileLeavesTheMainRoutesRunningAndItsFixRecovers() throws Exception {
        RouteWatcherReloadStrategy reloader = camel.hasService(RouteWatcherReloadStrategy.class);
        assertThat(reloader).as("route reload is on").isNotNull();
        long failuresBefore = reloader.getFailedCounter();

        try {
            // parses as YAML but cannot be built: the bean does not exist
            writeRoute("extra.yaml", """
                    - route:
                        id: extra
                        from:
                          uri: direct:extra
                          steps:
                            - bean:
                                ref: noSuchBean
                    """);
            await().atMost(RELOAD).until(() -> reloader.getFailedCounter() > failuresBefore);

            assertThat(camel.getRouteController().getRouteStatus("sr-inbox")).isEqualTo(ServiceStatus.Started);
            assertThat(camel.getRouteController().getRouteStatus("sr-to-fhir")).isEqualTo(ServiceStatus.Started);
            TestFolders.dropAtomically(INBOX, "while-broken.dcm", "not DICOM".getBytes(StandardCharsets.US_ASCII));
            await().atMost(RELOAD).until(() -> Files.exists(ERROR.resolve("while-broken.dcm.error.txt")));
        } finally {
            // fixed in any case: while a broken file is in the folder, Camel fails the reload of every other file too
            writeRoute("extra.yaml", probeRoute("extra", "fixed"));
        }
        await().atMost(RELOAD).ignoreExceptions()
                .until(() -> "fixed".equals(producer.requestBody("direct:extra", "", String.class)));
        assertThat(camel.getRouteController().getRouteStatus("sr-inbox")).isEqualTo(ServiceStatus.Started);
    }

    @Test
    void aYamlSyntaxErrorInTheMainFileLeavesItRunning() throws Exception {
        Path original = ROUTES.resolve(MAIN_ROUTE_FILE);
        String yaml = Files.readString(original);
        RouteWatcherReloadStrategy reloader = camel.hasService(RouteWatcherReloadStrategy.class);
        long failuresBefore = reloader.getFailedCounter();
        try {
            writeRoute(MAIN_ROUTE_FILE, yaml + "\n- route: [unclosed\n");
            await().atMost(RELOAD).until(() -> reloader.getFailedCounter() > failuresBefore);

            assertThat(camel.getRouteController().getRouteStatus("sr-inbox")).isEqualTo(ServiceStatus.Started);
            TestFolders.dropAtomically(INBOX, "after-syntax-error.dcm", "x".getBytes(StandardCharsets.US_ASCII));
            await().atMost(RELOAD).until(() -> Files.exists(ERROR.resolve("after-syntax-error.dcm.error.txt")));
        } finally {
            writeRoute(MAIN_ROUTE_FILE, yaml);
        }
    }

    private String inboxEndpointUri() {
        return camel.getRoute("sr-inbox") == null ? "" : camel.getRoute("sr-inbox").getEndpoint().getEndpointUri();
    }

    private static String probeRoute(String id, String answer) {
        return """
                - route:
                    id: %s
                    from:
                      uri: direct:%s
                      steps:
                        - setBody:
                            constant: "%s"
                """.formatted(id, id, answer);
    }

    /** An editor's atomic save (temp file + rename) fires one reload, an in-place write may fire two (stack.md §2). */
    private static void writeRoute(String name, String yaml) throws IOException {
        Path temp = ROUTES.resolve(name + ".tmp");
        Files.writeString(temp, yaml);
        Files.move(temp, ROUTES.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
