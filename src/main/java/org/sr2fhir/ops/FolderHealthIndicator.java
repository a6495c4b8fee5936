package org.sr2fhir.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.sr2fhir.config.Sr2FhirProperties;

/**
 * Health {@code folders}: the inbox, done and error folders are writable directories. A folder that does not exist
 * yet counts as UP when it can be created (the routes create it on first use).
 */
public class FolderHealthIndicator extends AbstractHealthIndicator {
    private final Map<String, Path> folders = new LinkedHashMap<>();

    public FolderHealthIndicator(Sr2FhirProperties properties) {
        folders.put("inbox", Path.of(properties.inbox().dir()));
        folders.put("done", Path.of(properties.inbox().doneDir()));
        folders.put("error", Path.of(properties.inbox().errorDir()));
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean up = true;
        for (Map.Entry<String, Path> folder : folders.entrySet()) {
            String state = state(folder.getValue());
            up &= state.startsWith("writable");
            builder.withDetail(folder.getKey(), folder.getValue() + ": " + state);
        }
        if (up) {
            builder.up();
        } else {
            builder.down();
        }
    }

    static String state(Path folder) {
        if (Files.isDirectory(folder)) {
            return Files.isWritable(folder) ? "writable" : "not writable";
        }
        if (Files.exists(folder)) {
            return "not a directory";
        }
        Path parent = folder.toAbsolutePath().getParent();
        while (parent != null && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        return parent != null && Files.isDirectory(parent) && Files.isWritable(parent)
                ? "writable (created on first use)" : "missing, and cannot be created";
    }
}
