package org.sr2fhir.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The routes packaged in the jar are the defaults (decision D75): when the working directory has no
 * {@code routes/*.yaml} (e.g. a container started without its mounts) and the route location is the one of
 * application.yaml, Camel loads {@code classpath:routes/*.yaml} instead; live reload is then off, as there is no
 * folder to watch. An external {@code routes/} with YAML files always wins.
 */
public class DefaultRoutes implements EnvironmentPostProcessor {
    static final String PATTERN = "camel.main.routes-include-pattern";
    static final String EXTERNAL = "file:routes/*.yaml";
    static final String PACKAGED = "classpath:routes/*.yaml";
    static final String SOURCE_NAME = "sr2fhirDefaultRoutes";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (EXTERNAL.equals(environment.getProperty(PATTERN)) && !hasRouteFiles(Path.of("routes"))) {
            environment.getPropertySources().addFirst(new MapPropertySource(SOURCE_NAME,
                    Map.of(PATTERN, PACKAGED, "camel.main.routes-reload-enabled", "false")));
        }
    }

    static boolean hasRouteFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.yaml")) {
            return files.iterator().hasNext();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder.toAbsolutePath(), e);
        }
    }
}
