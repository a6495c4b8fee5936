package org.sr2fhir.route;

import org.sr2fhir.delivery.DeliveryLog;

import ca.uhn.fhir.context.FhirVersionEnum;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.Exchange;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.r5.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.sr2fhir.config.Sr2FhirProperties;
import org.sr2fhir.config.Sr2FhirProperties.ValidationMode;
import org.sr2fhir.fhir.IgValidator;
import org.sr2fhir.fhirclient.FhirServer;

/**
 * The route's validation step ({@code sr2fhir.validation.mode}): off, warn (log the IG errors, send anyway) or
 * reject (throw {@link IgValidationException}, the input goes to error/ with the errors). The IG's documented
 * defects (D15, D16) never count as errors.
 */
@Component("bundleValidation")
public class BundleValidation {
    private static final Logger LOG = LoggerFactory.getLogger(BundleValidation.class);
    private static final int LOGGED_ISSUES = 5;

    private final ValidationMode mode;
    private final CompletableFuture<Duration> validator = new CompletableFuture<>();

    private final FhirServer fhirServer;

    public BundleValidation(Sr2FhirProperties properties, FhirServer fhirServer) {
        this.mode = properties.validation().mode();
        this.fhirServer = fhirServer;
        requireHeap(mode, properties.validation().minHeap().toBytes(), Runtime.getRuntime().maxMemory());
    }

    /**
     * Decision D51: the validator holds FHIR R5 core and the IG in memory; below the measured minimum it runs out of
     * memory on the first report, so start-up stops here with what to do instead.
     */
    static void requireHeap(ValidationMode mode, long minHeap, long maxHeap) {
        if (mode != ValidationMode.OFF && maxHeap < minHeap) {
            String message = "sr2fhir.validation.mode=" + mode.name().toLowerCase(Locale.ROOT) + " needs a heap of at "
                    + "least " + (minHeap >> 20) + " MiB (sr2fhir.validation.min-heap) for the IG validator; this JVM has "
                    + (maxHeap >> 20) + " MiB. Start it with -Xmx768m or more, or set sr2fhir.validation.mode=off "
                    + "(README \"Memory\")";
            LOG.error(message);
            throw new IllegalStateException(message);
        }
    }

    /**
     * The validator costs ~13 s to build (stack.md §5), more on a loaded machine: it is built in the background as
     * soon as the application has started, logged when ready, and readiness ({@code igValidator} health) waits for
     * it. A report that arrives earlier waits for it too, and says so in the log.
     */
    @EventListener(ApplicationStartedEvent.class)
    public void warmUp() {
        if (mode == ValidationMode.OFF) {
            return;
        }
        Thread warmUp = new Thread(() -> {
            long start = System.nanoTime();
            try {
                // the validator of the version the server speaks (decision D41); R5 when that is not known yet
                FhirVersionEnum version = serverVersion();
                LOG.info("IG validator: loading FHIR {} in the background (sr2fhir.validation.mode={}); readiness waits"
                        + " for it", version == FhirVersionEnum.R4 ? "R4 core and the cross-version package"
                        : "R5 core and the DICOM SR IG", mode.name().toLowerCase());
                IgValidator igValidator = IgValidator.shared(version);
                // the first validation primes the validator's caches too
                igValidator.validate(version == FhirVersionEnum.R4
                        ? new org.hl7.fhir.r4.model.Bundle().setType(org.hl7.fhir.r4.model.Bundle.BundleType.TRANSACTION)
                        : new Bundle().setType(Bundle.BundleType.TRANSACTION));
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                LOG.info("IG validator ready in {} s", String.format(Locale.ROOT, "%.1f", took.toMillis() / 1000.0));
                validator.complete(took);
            } catch (RuntimeException | Error e) {
                LOG.error("IG validator could not be built: {}", e.toString(), e);
                validator.completeExceptionally(e);
            }
        }, "ig-validator-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    private FhirVersionEnum serverVersion() {
        try {
            return fhirServer.version();
        } catch (RuntimeException e) {
            return FhirVersionEnum.R5;
        }
    }

    /**
     * The validator's state for the readiness check: empty while it is being built, the time it took once ready;
     * the build's error if it failed.
     */
    public CompletableFuture<Duration> validatorWarmUp() {
        return validator;
    }

    public ValidationMode mode() {
        return mode;
    }

    /** Validates the exchange's Bundle parts (its body). */
    public void check(Exchange exchange) throws IgValidationException {
        if (mode == ValidationMode.OFF) {
            return;
        }
        String source = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class);
        String sopInstanceUid = exchange.getProperty(DeliveryLog.SR_INSTANCE_UID, String.class);
        if (!validator.isDone()) {
            LOG.info("{} (SR {}): waiting for the IG validator to be ready", source, sopInstanceUid);
        }
        List<?> parts = exchange.getMessage().getBody(List.class);
        List<String> errors;
        try {
            // R4 parts against R4 core + the xver package (decision D41)
            errors = parts.stream().filter(IBaseBundle.class::isInstance).map(IBaseBundle.class::cast)
                    .flatMap(part -> IgValidator.shared(part.getStructureFhirVersionEnum()).validate(part).errors()
                            .stream())
                    .map(IgValidator.Issue::toString).toList();
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError validatorFailed) {
            // decision D52: HAPI wraps the validator's own failures in InternalErrorException (HTTP 500); that
            // must never read as the FHIR server's answer
            throw new IgValidatorFailure(source, sopInstanceUid, validatorFailed);
        }
        if (errors.isEmpty()) {
            return;
        }
        if (mode == ValidationMode.REJECT) {
            throw new IgValidationException(source, sopInstanceUid, errors);
        }
        // validator messages name elements, profiles and codes; entries are identified by fullUrl, not patient data
        LOG.warn("{} (SR {}): {} IG validation error(s), sending anyway (sr2fhir.validation.mode=warn); first: {}",
                source, sopInstanceUid, errors.size(), errors.subList(0, Math.min(LOGGED_ISSUES, errors.size())));
    }
}
