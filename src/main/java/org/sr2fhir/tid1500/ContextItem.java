package org.sr2fhir.tid1500;

import org.sr2fhir.sr.CodedConcept;

import java.math.BigDecimal;

/**
 * An observation-context item that FHIR carries as an {@code Observation.component}: a TID 1502 Time Point Context row
 * (decision D29) or the Activity Session of a measurement group (D30). Exactly one of {@code text}, {@code code} and
 * {@code number} is set; {@code unit} goes with {@code number}.
 */
public record ContextItem(String path, CodedConcept concept, String text, CodedConcept code, BigDecimal number,
                          CodedConcept unit) {
}
