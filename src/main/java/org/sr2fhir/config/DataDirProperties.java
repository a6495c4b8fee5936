package org.sr2fhir.config;

import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code sr2fhir.data-dir}: the one folder of sr2fhir's state (decision D71): the delivered-store and the DICOMweb
 * checkpoint (application.yaml places them under it) and the journal's H2 database when no
 * {@code sr2fhir.journal.url} is given. Keeping them together lets a demo clear or keep its state as a whole.
 *
 * @param dataDir relative to the working directory, or absolute
 */
@Validated
@ConfigurationProperties("sr2fhir")
public record DataDirProperties(@NotBlank @DefaultValue("data") String dataDir) {

    /** The journal's default database: an H2 file {@code journal.mv.db} in the data folder. */
    public String h2JournalUrl() {
        Path folder = Path.of(dataDir);
        // H2 refuses a file path that is implicitly relative to the working directory: make it ./...
        String path = folder.isAbsolute() ? folder.toString() : "./" + folder.normalize();
        return "jdbc:h2:file:" + path + "/journal;WRITE_DELAY=0";
    }
}
