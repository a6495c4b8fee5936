package org.sr2fhir.tid1500;

import org.sr2fhir.sr.CodedConcept;
import org.sr2fhir.sr.ValueType;

/**
 * A content item the mapping does not carry into FHIR, and why (decision D34: every one is listed in the conversion
 * report). Its descendants go with it: {@code descendants} says how many content items lie below it.
 *
 * @param path      content item position ("1.4.2")
 * @param concept   concept name, or null (an unnamed item, or a by-reference item whose target is unknown)
 * @param valueType value type, or null when a by-reference target could not be resolved
 */
public record NotMappedItem(String path, CodedConcept concept, ValueType valueType, int descendants, String reason) {
}
