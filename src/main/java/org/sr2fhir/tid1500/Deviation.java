package org.sr2fhir.tid1500;

/**
 * A departure from TID 1500 (or from the SR encoding rules) that reading tolerated, e.g. Measurement Groups directly
 * under the root (decision D23); listed in the conversion report (D34).
 *
 * @param path     content item position it concerns, or null for the document as a whole
 * @param decision the decision that tolerates it ("D23"), or null for a slip the SR reader recovered from
 */
public record Deviation(String path, String description, String decision) {
}
