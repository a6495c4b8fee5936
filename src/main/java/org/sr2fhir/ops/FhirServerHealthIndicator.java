package org.sr2fhir.ops;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.sr2fhir.config.Sr2FhirProperties;

/** Health {@code fhirServer}: UP when the FHIR server answers {@code GET metadata} (cached a few seconds). */
public class FhirServerHealthIndicator extends AbstractHealthIndicator {
    private final FhirServerProbe probe;
    private final String url;

    public FhirServerHealthIndicator(FhirServerProbe probe, Sr2FhirProperties properties) {
        super("FHIR server health check failed");
        this.probe = probe;
        this.url = OpsInfoContributor.withoutCredentials(properties.fhir().url());
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        FhirServerProbe.Answer answer = probe.answer();
        builder.withDetail("url", url).withDetail("checkedAt", answer.at().toString());
        if (answer.up()) {
            builder.up().withDetail("fhirVersion", answer.fhirVersion());
        } else {
            builder.down().withDetail("error", answer.error());
        }
    }
}
