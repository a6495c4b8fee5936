package org.sr2fhir.tid1500;

import org.sr2fhir.sr.CodedConcept;

/**
 * A qualitative evaluation: a CONTAINS CODE or TEXT item of a measurement group (TID 1501 row 12, TID 1410/1411
 * row 14) or of the root-level Qualitative Evaluations container (TID 1500 row 12), selected per decision D11.
 * Exactly one of {@code codeValue} and {@code textValue} is set.
 */
public record QualitativeEvaluation(String path, CodedConcept concept, CodedConcept codeValue, String textValue,
                                    AlgorithmIdentification algorithm, String observationUid,
                                    String observationDateTime) {
}
