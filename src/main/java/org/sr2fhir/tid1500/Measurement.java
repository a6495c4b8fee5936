package org.sr2fhir.tid1500;

import org.sr2fhir.sr.CodedConcept;

import java.math.BigDecimal;
import java.util.List;

/**
 * A TID 300 / TID 1419 Measurement (a NUM): concept name, value and unit (null value with a Numeric Value
 * Qualifier when the Measured Value Sequence is empty, decision D13), Measurement Method (TID 300 row 4),
 * Finding Sites (row 6, several allowed: D24), Derivation (row 5, not mapped by the IG), TID 4019 algorithm (row 12),
 * its own Observation UID and the nearest Observation DateTime up the tree (decision D8), and the image regions and
 * source images it was INFERRED FROM (TID 300 row 8 / TID 320: the SCOORD a viewer drew the measurement on, D28).
 *
 * @param path        content item position ("1.2.3.4"), the stable part of deterministic ids (D5)
 * @param unsentValue why a value present in the SR is not carried (decision D45; {@code value} is then null), or null
 */
public record Measurement(String path, CodedConcept concept, BigDecimal value, CodedConcept unit,
                          CodedConcept valueQualifier, CodedConcept method, List<FindingSite> findingSites,
                          CodedConcept derivation, AlgorithmIdentification algorithm, String observationUid,
                          String observationDateTime, List<RegionReference> regions,
                          UnsentValue unsentValue) {
    public Measurement {
        findingSites = findingSites == null ? List.of() : List.copyOf(findingSites);
        regions = regions == null ? List.of() : List.copyOf(regions);
    }
}
