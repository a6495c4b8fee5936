package org.sr2fhir;

import java.util.Arrays;
import java.util.stream.Stream;
import org.springframework.boot.SpringApplication;
import org.sr2fhir.testserver.FhirTestServer;

/**
 * The embedded default run (README): {@code mvn spring-boot:test-run -Dspring-boot.run.main-class=org.sr2fhir.Sr2FhirLocalRun}.
 * When no FHIR server is configured (no {@code SR2FHIR_FHIR_URL}, no {@code --sr2fhir.fhir.url=}), it first starts
 * the HAPI FHIR JPA R5 test server on 127.0.0.1:8090 (H2 in memory, lost at exit), then the application pointed at it,
 * with {@code sr2fhir.linking.create-missing=true} (unless given): the empty server knows no Patient or ImagingStudy.
 * Lives on the test class path with the server: neither goes into the production jar.
 */
public final class Sr2FhirLocalRun {
    static final int PORT = Integer.getInteger("sr2fhir.local.port", 8090);

    private Sr2FhirLocalRun() {
    }

    public static void main(String[] args) {
        String[] arguments = args;
        boolean configured = System.getenv("SR2FHIR_FHIR_URL") != null || System.getProperty("sr2fhir.fhir.url") != null
                || Arrays.stream(args).anyMatch(arg -> arg.startsWith("--sr2fhir.fhir.url="));
        if (!configured) {
            FhirTestServer server = FhirTestServer.launch(PORT);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "fhir-test-server-shutdown"));
            System.out.println("local FHIR R5 test server: " + server.baseUrl()
                    + "  (try " + server.baseUrl() + "/DiagnosticReport and " + server.baseUrl() + "/Observation)");
            Stream<String> added = Stream.of("--sr2fhir.fhir.url=" + server.baseUrl());
            if (Arrays.stream(args).noneMatch(arg -> arg.startsWith("--sr2fhir.linking.create-missing="))) {
                added = Stream.concat(added, Stream.of("--sr2fhir.linking.create-missing=true"));
            }
            arguments = Stream.concat(Arrays.stream(args), added).toArray(String[]::new);
        }
        SpringApplication.run(Sr2FhirApplication.class, arguments);
    }
}
