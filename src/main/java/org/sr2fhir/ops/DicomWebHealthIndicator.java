package org.sr2fhir.ops;

import java.time.Duration;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.sr2fhir.config.DicomWebProperties;
import org.sr2fhir.dicomweb.DicomWebSource;
import org.sr2fhir.dicomweb.PollBackoff;

/**
 * Health {@code dicomWeb}: UP while the DICOMweb source polls normally (or is disabled), DOWN while it backs off
 * after failures (archive or FHIR server unreachable), with how far behind it may be.
 */
public class DicomWebHealthIndicator extends AbstractHealthIndicator {
    private final DicomWebProperties settings;
    private final DicomWebSource source;

    public DicomWebHealthIndicator(DicomWebProperties settings, DicomWebSource source) {
        super("DICOMweb health check failed");
        this.settings = settings;
        this.source = source;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("enabled", settings.enabled());
        if (!settings.enabled()) {
            builder.up();
            return;
        }
        builder.withDetail("url", OpsInfoContributor.withoutCredentials(settings.url()));
        source.lag().ifPresent(lag -> builder.withDetail("lagSeconds", lag.toSeconds()));
        PollBackoff backoff = source.backoff();
        if (backoff.consecutiveFailures() > 0) {
            builder.down().withDetail("consecutiveFailures", backoff.consecutiveFailures())
                    .withDetail("nextPoll", String.valueOf(backoff.resumeAt()));
        } else {
            builder.up();
        }
    }

    /** Seconds of lag for the gauge; NaN before the first poll that caught up. */
    static double lagSeconds(DicomWebSource source) {
        return source.lag().map(Duration::toMillis).map(ms -> ms / 1000.0).orElse(Double.NaN);
    }
}
