package org.sr2fhir.tid1500;

import org.sr2fhir.sr.CodedConcept;

import java.util.List;

/**
 * A qualitative evaluation: a CONTAINS CODE or TEXT item of a measurement group (TID 1501 row 12, TID 1410/1411
 * row 14) or of the root-level Qualitative Evaluations container (TID 1500 row 12), selected per decision D11.
 * Exactly one of {@code codeValue} and {@code textValue} is set. Like a measurement it may name its own Finding Sites
 * (D24) and the regions it was INFERRED FROM: a landmark point, the outline of an unmeasurable lesion (D25).
 */
public record QualitativeEvaluation(String path, CodedConcept concept, CodedConcept codeValue, String textValue,
                                    AlgorithmIdentification algorithm, String observationUid,
                                    String observationDateTime, List<FindingSite> findingSites,
                                    List<RegionReference> regions) {
    public QualitativeEvaluation {
        findingSites = findingSites == null ? List.of() : List.copyOf(findingSites);
        regions = regions == null ? List.of() : List.copyOf(regions);
    }
}
