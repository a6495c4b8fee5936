package org.sr2fhir.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes relative inbox folders relative to the working directory. Camel's file consumer resolves a relative
 * {@code move}/{@code moveFailed} against the inbox itself, so {@code done-dir: done} would otherwise become
 * {@code inbox/done}; resolving here keeps the route file free of path arithmetic.
 */
public class InboxFolderResolver implements EnvironmentPostProcessor {
    static final String SOURCE_NAME = "sr2fhirInboxFolders";
    private static final Map<String, String> FOLDERS = Map.of(
            "sr2fhir.inbox.dir", "inbox",
            "sr2fhir.inbox.done-dir", "done",
            "sr2fhir.inbox.error-dir", "error");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> resolved = new LinkedHashMap<>();
        FOLDERS.forEach((key, fallback) -> {
            String value = environment.getProperty(key, fallback);
            if (!value.isBlank() && !Path.of(value).isAbsolute()) {
                resolved.put(key, Path.of(value).toAbsolutePath().normalize().toString());
            }
        });
        if (!resolved.isEmpty()) {
            environment.getPropertySources().addFirst(new MapPropertySource(SOURCE_NAME, resolved));
        }
    }
}
