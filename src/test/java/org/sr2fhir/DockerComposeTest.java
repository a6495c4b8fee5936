package org.sr2fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.sr2fhir.cli.HealthCommand;
import org.sr2fhir.config.KnownSettings;

/**
 * docker/compose.yaml and docker/Dockerfile without a Docker engine (decision D74): the compose file is valid against
 * the Compose Specification's schema, its images are pinned, HAPI is awaited healthy, every file it mounts or builds
 * from exists or is made by the documented command, every SR2FHIR_* variable is a setting sr2fhir reads, and the
 * image runs as a user of its own with a health check.
 */
class DockerComposeTest {
    private static final Path DOCKER = Path.of("docker");
    private static final Path COMPOSE = DOCKER.resolve("compose.yaml");
    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void composeFileFollowsTheComposeSpecification() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/docker/compose-spec.json")) {
            ObjectNode schema = (ObjectNode) new ObjectMapper().readTree(in);
            // the schema names draft 2019-09 but is written in draft 4 ("id", not "$id"): read as draft 4, without its
            // relative root id
            schema.remove("$schema");
            schema.remove("id");
            List<Error> errors = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(schema)
                    // "format": "duration" there means Go durations (15s), not ISO 8601: formats are not asserted
                    .validate(compose(), context -> context.executionConfig(config -> config.formatAssertionsEnabled(false)));
            assertThat(errors).extracting(Error::toString).isEmpty();
        }
    }

    @Test
    void imagesArePinnedAndTheFhirServerIsAwaitedHealthy() throws IOException {
        JsonNode services = compose().path("services");
        services.forEach(service -> {
            if (service.has("image")) {
                assertThat(service.path("image").asText()).matches("[a-z0-9./_-]+:v?\\d+[0-9.]*(-[0-9a-z.-]+)?");
            }
        });
        JsonNode sr2fhir = services.path("sr2fhir");
        assertThat(sr2fhir.path("depends_on").path("fhir").path("condition").asText()).isEqualTo("service_healthy");
        assertThat(services.path("fhir").path("healthcheck").path("test").toString()).contains("health");
        assertThat(sr2fhir.path("environment").path("SR2FHIR_DICOMWEB_ENABLED").asText()).isEqualTo("true");
        assertThat(sr2fhir.path("environment").path("SR2FHIR_DICOMWEB_URL").asText())
                .startsWith("http://orthanc:" + services.path("orthanc").path("ports").get(0).asText().split(":")[0]);
    }

    @Test
    void everyMountedOrBuiltPathExistsOrIsMadeByTheDocumentedCommand() throws IOException {
        String command = Files.readString(COMPOSE).lines().filter(line -> line.contains("docker compose")).findFirst()
                .orElseThrow();
        JsonNode compose = compose();
        JsonNode build = compose.path("services").path("sr2fhir").path("build");
        Path context = DOCKER.resolve(build.path("context").asText()).normalize();
        assertThat(context.resolve(build.path("dockerfile").asText())).isRegularFile();
        compose.path("services").forEach(service -> service.path("volumes").forEach(volume -> {
            String source = volume.asText().split(":")[0];
            Path path = DOCKER.resolve(source).normalize();
            if (path.startsWith("target")) {
                // built by "mvn -B -DskipTests package" (pom: finalName sr2fhir)
                assertThat(command).contains("mvn -B -DskipTests package");
                assertThat(path).isEqualTo(Path.of("target", "sr2fhir.jar"));
            } else if (!Files.exists(path)) {
                assertThat(command).as(source + " is created by the documented command").contains("mkdir -p")
                        .containsPattern("mkdir -p [a-z ]*\\b" + path + "\\b");
            }
        }));
    }

    @Test
    void everySr2fhirVariableIsASettingSr2fhirReads() throws IOException {
        Map<String, Object> variables = new HashMap<>();
        compose().path("services").path("sr2fhir").path("environment").fields().forEachRemaining(field -> {
            if (field.getKey().startsWith("SR2FHIR_")) {
                variables.put(field.getKey(), field.getValue().asText());
            }
        });
        assertThat(variables).isNotEmpty();
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));

        new KnownSettings().postProcessEnvironment(environment, null);
    }

    @Test
    void imageRunsAsItsOwnUserWithAHealthCheckOnReadiness() throws IOException {
        List<String> dockerfile = Files.readAllLines(DOCKER.resolve("Dockerfile"));
        assertThat(dockerfile).filteredOn(line -> line.startsWith("FROM "))
                .singleElement().asString().matches("FROM [a-z./-]+:\\d+[0-9._]*-jre");
        assertThat(dockerfile).filteredOn(line -> line.startsWith("USER ")).singleElement().asString()
                .isNotIn("USER root", "USER 0");
        assertThat(String.join("\n", dockerfile)).contains("HEALTHCHECK")
                .contains("CMD [\"java\", \"-jar\", \"/app/sr2fhir.jar\", \"health\"]")
                .contains("COPY target/sr2fhir.jar /app/sr2fhir.jar");
        // the health command's default URL is the readiness group on the management port of application.yaml
        JsonNode port = operationsDocument().path("management").path("server").path("port");
        assertThat(HealthCommand.READINESS).isEqualTo("http://127.0.0.1:" + port.asText() + "/actuator/health/readiness");
    }

    private static JsonNode operationsDocument() throws IOException {
        return YAML.readValues(YAML.createParser(Path.of("application.yaml").toFile()), JsonNode.class).readAll()
                .stream().filter(document -> document.has("management")).findFirst().orElseThrow();
    }

    private static JsonNode compose() throws IOException {
        return YAML.readTree(COMPOSE.toFile());
    }
}
