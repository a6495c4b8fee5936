package org.sr2fhir.route;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Enumerations;
import org.hl7.fhir.r5.model.Observation;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import org.sr2fhir.config.Sr2FhirProperties;
import org.sr2fhir.config.Sr2FhirProperties.ValidationMode;
import org.sr2fhir.delivery.DeliveryCounters;
import org.sr2fhir.delivery.DeliveryLog;
import org.sr2fhir.delivery.FailureReport;

/** The route's validation step with the real IG validator (~13 s to build, once per JVM). */
class BundleValidationIT {

    @Test
    void rejectModeStopsANonConformingBundleAndListsTheErrors() {
        Exchange exchange = exchangeWith(nonConformingBundle());

        assertThatThrownBy(() -> validation(ValidationMode.REJECT).check(exchange))
                .isInstanceOfSatisfying(IgValidationException.class, e -> {
                    assertThat(e.getMessage()).startsWith("bad.dcm (SOP Instance UID 1.2.3.4): the Bundle does not conform");
                    assertThat(e.issues()).isNotEmpty().allSatisfy(issue -> assertThat(issue).contains("imaging-measurement"));
                });

        exchange.setProperty(Exchange.EXCEPTION_CAUGHT,
                org.assertj.core.api.Assertions.catchThrowable(() -> validation(ValidationMode.REJECT).check(exchange)));
        String errorFile = new FailureReport(FhirContext.forR5Cached(), new DeliveryCounters(new SimpleMeterRegistry())).describe(exchange);
        assertThat(errorFile).contains("kind: rejected").contains("IG validation errors:");
    }

    @Test
    void warnAndOffModesLetTheBundleThrough() {
        Exchange exchange = exchangeWith(nonConformingBundle());
        assertThatCode(() -> validation(ValidationMode.WARN).check(exchange)).doesNotThrowAnyException();
        assertThatCode(() -> validation(ValidationMode.OFF).check(exchange)).doesNotThrowAnyException();
    }

    /** An Observation that claims the IG's imaging-measurement profile with none of its required elements. */
    private static Bundle nonConformingBundle() {
        Observation observation = new Observation();
        observation.getMeta().addProfile("http://hl7.org/fhir/uv/dicom-sr/StructureDefinition/imaging-measurement");
        observation.setStatus(Enumerations.ObservationStatus.FINAL);
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry().setFullUrl("urn:uuid:0b5c3a8e-7f1d-4c1e-9d8a-000000000001").setResource(observation)
                .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        return bundle;
    }

    private static Exchange exchangeWith(Bundle bundle) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(List.of(bundle));
        exchange.getMessage().setHeader(Exchange.FILE_NAME, "bad.dcm");
        exchange.setProperty(DeliveryLog.SR_INSTANCE_UID, "1.2.3.4");
        return exchange;
    }

    private static BundleValidation validation(ValidationMode mode) {
        // check() does not ask the server: the parts carry their FHIR version
        return new BundleValidation(new Sr2FhirProperties(null, null,
                new Sr2FhirProperties.Validation(mode, DataSize.ofMegabytes(0)), null, null, null, null, null), null);
    }
}
