package org.sr2fhir.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ValidationContext;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.r5.model.Bundle;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which Bundles the reused RI validator takes (decisions D55, D86). */
class ReusingInstanceValidatorTest {
    private final FhirContext fhir = FhirContext.forR5Cached();
    /** Configured as IgValidator configures it: HAPI's defaults, unknown profiles errors among them. */
    private final ReusingInstanceValidator module =
            new ReusingInstanceValidator(new PrePopulatedValidationSupport(fhir));

    @Test
    void ourBundlesAreValidatedByTheReusedValidator() {
        assertThat(module.isErrorForUnknownProfiles()).isTrue();
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        assertThat(module.leftToHapi(ValidationContext.forResource(fhir, bundle, null))).isFalse();
    }

    @Test
    void aBundleClaimingAProfileIsLeftToHapi() {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.getMeta().addProfile("http://example.org/StructureDefinition/some-bundle");
        assertThat(module.leftToHapi(ValidationContext.forResource(fhir, bundle, null))).isTrue();
    }
}
