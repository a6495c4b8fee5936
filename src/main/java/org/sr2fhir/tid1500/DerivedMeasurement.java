package org.sr2fhir.tid1500;

import java.util.List;

/**
 * A TID 1420 Measurement Derived From Multiple ROI Measurements: a NUM of the Derived Imaging Measurements
 * container (DCM 126011) with the measurement groups it was derived from (TID 1420 row 2, written under the NUM
 * per the IG's ConceptMap, or as siblings in the container per the IG's architecture page; both are read,
 * decision D2).
 *
 * @param containerAlgorithm TID 4019 of the 126011 container, or null
 */
public record DerivedMeasurement(Measurement measurement, List<MeasurementGroup> sourceGroups,
                                 AlgorithmIdentification containerAlgorithm) {
    public DerivedMeasurement {
        sourceGroups = List.copyOf(sourceGroups);
    }
}
