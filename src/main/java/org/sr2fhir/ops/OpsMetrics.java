package org.sr2fhir.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sr2fhir.config.DicomWebProperties;
import org.sr2fhir.config.Sr2FhirProperties;
import org.sr2fhir.dicomweb.DicomWebSource;

/**
 * Gauges read when scraped: {@code sr2fhir.inbox.backlog} (files waiting in the inbox) and, when the DICOMweb source
 * is enabled, {@code sr2fhir.dicomweb.lag} (seconds since its last poll that found nothing new to do).
 */
public class OpsMetrics implements MeterBinder {
    private final Path inbox;
    private final DicomWebProperties dicomWeb;
    private final DicomWebSource source;

    public OpsMetrics(Sr2FhirProperties properties, DicomWebProperties dicomWeb, DicomWebSource source) {
        this.inbox = Path.of(properties.inbox().dir());
        this.dicomWeb = dicomWeb;
        this.source = source;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("sr2fhir.inbox.backlog", this, OpsMetrics::backlog).baseUnit("files")
                .description("report files waiting in the inbox").register(registry);
        if (dicomWeb.enabled()) {
            Gauge.builder("sr2fhir.dicomweb.lag", source, DicomWebHealthIndicator::lagSeconds).baseUnit("seconds")
                    .description("time since the DICOMweb source's last poll that found nothing new").register(registry);
        }
    }

    /** Regular files in the inbox, without dot-files and the read lock's .camelLock markers; NaN if unreadable. */
    double backlog() {
        if (!Files.isDirectory(inbox)) {
            return 0;
        }
        int count = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(inbox)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!name.startsWith(".") && !name.endsWith(".camelLock") && Files.isRegularFile(file)) {
                    count++;
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return count;
    }
}
