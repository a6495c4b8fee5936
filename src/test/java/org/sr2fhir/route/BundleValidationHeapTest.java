package org.sr2fhir.route;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.sr2fhir.config.Sr2FhirProperties.ValidationMode;

/** Decision D51: a heap the validator cannot live in stops start-up with what to do, unless validation is off. */
class BundleValidationHeapTest {
    private static final long MIB = 1 << 20;

    @Test
    void validationOnASmallHeapStopsStartUpSayingWhatToDo() {
        assertThatThrownBy(() -> BundleValidation.requireHeap(ValidationMode.WARN, 560 * MIB, 512 * MIB))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs a heap of at least 560 MiB").hasMessageContaining("this JVM has 512 MiB")
                .hasMessageContaining("sr2fhir.validation.mode=off");
    }

    @Test
    void enoughHeapOrNoValidationStarts() {
        assertThatCode(() -> BundleValidation.requireHeap(ValidationMode.REJECT, 560 * MIB, 768 * MIB))
                .doesNotThrowAnyException();
        assertThatCode(() -> BundleValidation.requireHeap(ValidationMode.OFF, 560 * MIB, 128 * MIB))
                .doesNotThrowAnyException();
    }
}
