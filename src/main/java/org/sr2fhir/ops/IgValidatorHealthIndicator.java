package org.sr2fhir.ops;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.sr2fhir.config.Sr2FhirProperties.ValidationMode;
import org.sr2fhir.route.BundleValidation;

/**
 * Health {@code igValidator}: DOWN while the IG validator is still being built in the background (readiness waits
 * for it, so the first report is not held up), UP once it is ready or when validation is off.
 */
public class IgValidatorHealthIndicator extends AbstractHealthIndicator {
    private final BundleValidation validation;

    public IgValidatorHealthIndicator(BundleValidation validation) {
        super("IG validator health check failed");
        this.validation = validation;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws InterruptedException {
        builder.withDetail("mode", validation.mode().name().toLowerCase());
        if (validation.mode() == ValidationMode.OFF) {
            builder.up();
            return;
        }
        CompletableFuture<Duration> warmUp = validation.validatorWarmUp();
        if (!warmUp.isDone()) {
            builder.down().withDetail("state", "warming up");
            return;
        }
        try {
            builder.up().withDetail("state", "ready").withDetail("warmUpSeconds", warmUp.get().toMillis() / 1000.0);
        } catch (ExecutionException e) {
            builder.down().withDetail("state", "failed").withDetail("error", String.valueOf(e.getCause()));
        }
    }
}
