package org.sr2fhir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.util.FileSystemUtils;
import org.sr2fhir.testserver.FhirTestServer;

/**
 * The embedded default run (README): {@code mvn spring-boot:test-run -Dspring-boot.run.main-class=org.sr2fhir.Sr2FhirLocalRun}.
 * When no FHIR server is configured (no {@code SR2FHIR_FHIR_URL}, no {@code --sr2fhir.fhir.url=}), it first starts
 * the HAPI FHIR JPA R5 test server on 127.0.0.1:8090 (H2 in memory, lost at exit), then the application pointed at it,
 * with {@code sr2fhir.linking.create-missing=true} (unless given): the empty server knows no Patient or ImagingStudy.
 * Its state (delivered-store, DICOMweb checkpoint, journal) lives in {@code demo-data/}, cleared at each start: the
 * server starts empty, so a report dropped again must be sent again, not skipped as delivered (decision D71). It logs
 * warnings only, besides sr2fhir's own lines, and says in one line where to look.
 * Lives on the test class path with the server: neither goes into the production jar.
 */
public final class Sr2FhirLocalRun {
    static final int PORT = Integer.getInteger("sr2fhir.local.port", 8090);
    static final String DATA_DIR = "demo-data";
    static final List<String> QUIET = List.of("org.springframework", "org.hibernate", "org.apache.catalina",
            "org.apache.tomcat", "org.apache.coyote", "com.zaxxer", "org.apache.camel", "org.flywaydb", "org.quartz",
            "io.micrometer", "io.opentelemetry", "org.sr2fhir.Sr2FhirLocalRun");

    private Sr2FhirLocalRun() {
    }

    public static void main(String[] args) {
        // the HAPI server, Spring, Hibernate, Tomcat and Camel print ~190 lines at INFO: warnings only from them;
        // sr2fhir's own lines and the routes' log steps stay
        QUIET.forEach(logger -> System.setProperty("logging.level." + logger, "WARN"));
        // the HAPI server's warnings about its own search parameters
        System.setProperty("logging.level.ca.uhn.fhir", "ERROR");
        // Spring's note that the HAPI server's bean post-processor configuration is not itself post-processed
        System.setProperty("logging.level.org.springframework.context.support", "ERROR");
        String[] arguments = args;
        boolean configured = System.getenv("SR2FHIR_FHIR_URL") != null || System.getProperty("sr2fhir.fhir.url") != null
                || Arrays.stream(args).anyMatch(arg -> arg.startsWith("--sr2fhir.fhir.url="));
        Stream<String> added = Stream.of(
                // the test class path's config/application.properties turns the web server off for the tests; the
                // demo wants its management port (health, console)
                "--spring.main.web-application-type=servlet");
        if (!configured) {
            clear(Path.of(DATA_DIR));
            FhirTestServer server = FhirTestServer.launch(PORT);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "fhir-test-server-shutdown"));
            added = Stream.concat(added, Stream.of("--sr2fhir.fhir.url=" + server.baseUrl(),
                    // the journal too: its H2 file in the data folder (the tests' class path puts it in memory)
                    "--sr2fhir.data-dir=" + DATA_DIR, "--sr2fhir.journal.url="));
            if (Arrays.stream(args).noneMatch(arg -> arg.startsWith("--sr2fhir.linking.create-missing="))) {
                added = Stream.concat(added, Stream.of("--sr2fhir.linking.create-missing=true"));
            }
        }
        arguments = Stream.concat(Arrays.stream(args), added).toArray(String[]::new);
        ConfigurableApplicationContext context;
        try {
            context = SpringApplication.run(Sr2FhirApplication.class, arguments);
        } catch (RuntimeException e) {
            // reported by Spring Boot; the FHIR test server would keep the JVM up
            System.exit(1);
            return;
        }
        System.out.println(whereToLook(context.getEnvironment()));
    }

    /** The one line of the README's "where to look". */
    static String whereToLook(Environment environment) {
        String fhir = environment.getProperty("sr2fhir.fhir.url");
        String management = environment.getProperty("local.management.port", environment.getProperty("management.server.port"));
        return "sr2fhir is running: drop reports into " + environment.getProperty("sr2fhir.inbox.dir") + "; see them at "
                + fhir + "/DiagnosticReport?_include=DiagnosticReport:result; console http://127.0.0.1:" + management
                + "/ (state in " + Path.of(environment.getProperty("sr2fhir.data-dir", "data")).toAbsolutePath() + ")";
    }

    private static void clear(Path folder) {
        try {
            FileSystemUtils.deleteRecursively(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + folder.toAbsolutePath(), e);
        }
    }
}
