package org.sr2fhir.route;

import org.sr2fhir.delivery.DeliveryLog;

import java.util.List;
import org.apache.camel.Exchange;
import org.hl7.fhir.r5.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.sr2fhir.config.Sr2FhirProperties;
import org.sr2fhir.config.Sr2FhirProperties.ValidationMode;
import org.sr2fhir.fhir.IgValidator;

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

    public BundleValidation(Sr2FhirProperties properties) {
        this.mode = properties.validation().mode();
    }

    /** The validator costs ~13 s to build (stack.md §5): build it once the application is up, not on the first report. */
    @EventListener(ApplicationReadyEvent.class)
    public void warmUp() {
        if (mode != ValidationMode.OFF) {
            Thread warmUp = new Thread(IgValidator::shared, "ig-validator-warm-up");
            warmUp.setDaemon(true);
            warmUp.start();
        }
    }

    /** Validates the exchange's Bundle parts (its body). */
    public void check(Exchange exchange) throws IgValidationException {
        if (mode == ValidationMode.OFF) {
            return;
        }
        String source = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class);
        String sopInstanceUid = exchange.getProperty(DeliveryLog.SR_INSTANCE_UID, String.class);
        List<?> parts = exchange.getMessage().getBody(List.class);
        List<String> errors = parts.stream().filter(Bundle.class::isInstance).map(Bundle.class::cast)
                .flatMap(part -> IgValidator.shared().validate(part).errors().stream())
                .map(IgValidator.Issue::toString).toList();
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
