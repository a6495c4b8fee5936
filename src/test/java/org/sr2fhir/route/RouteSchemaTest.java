package org.sr2fhir.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route file validates against the JSON schema of the Camel YAML DSL that the application runs
 * ({@code schema/camelYamlDsl.json} in the camel-yaml-dsl jar), the schema Kaoto and the IDE plugins edit routes with
 * (decision D75).
 */
class RouteSchemaTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Schema CAMEL_YAML_DSL = schema();

    static Stream<Path> routeFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            List<Path> routes = files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
            assertThat(routes).isNotEmpty();
            return routes.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void routeFileValidatesAgainstTheCamelYamlDslSchema(Path file) throws IOException {
        List<Error> errors = CAMEL_YAML_DSL.validate(YAML.readTree(file.toFile()));

        assertThat(errors).as(file.toString()).extracting(Error::toString).isEmpty();
    }

    /** The check catches what Kaoto refuses: a placeholder where the schema wants a boolean. */
    @Test
    void aPlaceholderForABooleanFails() throws IOException {
        JsonNode route = YAML.readTree("""
                - route:
                    id: r
                    autoStartup: "{{sr2fhir.dicomweb.enabled:false}}"
                    from:
                      uri: timer:t
                      steps:
                        - log: x
                """);

        assertThat(CAMEL_YAML_DSL.validate(route)).extracting(Error::toString).anyMatch(e -> e.contains("autoStartup"));
    }

    private static Schema schema() {
        try (InputStream in = YamlRoutesBuilderLoader.class.getResourceAsStream("/schema/camelYamlDsl.json")) {
            assertThat(in).as("schema/camelYamlDsl.json in camel-yaml-dsl").isNotNull();
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
