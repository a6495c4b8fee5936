package org.sr2fhir.tid1500;

import org.sr2fhir.sr.CodedConcept;
import org.sr2fhir.sr.ReferencedSop;

import java.util.List;

/**
 * A Measurement Group CONTAINER (DCM 125007): TID 1410 Planar ROI, TID 1411 Volumetric ROI or TID 1501 generic
 * Measurements and Qualitative Evaluations. Self-contained (it carries the Imaging Measurements container's
 * algorithm for decision D9) so the route can map each group in its own exchange.
 *
 * @param position                    0-based index among the report's groups (document order); the assembly
 *                                    sorts by it (D6)
 * @param templateId                  "1410", "1411", "1501" when the producer wrote the template, else null
 * @param trackingIdentifier          Tracking Identifier (DCM 112039, TID 1410 row 2)
 * @param trackingUid                 Tracking Unique Identifier (DCM 112040, TID 1410 row 3)
 * @param findingCategory             Finding Category (SCT 276214006) value → group code
 * @param finding                     Finding (DCM 121071) value → group valueCodeableConcept
 * @param findingSites                Finding Sites (SCT 363698007), several allowed (D24)
 * @param containerAlgorithm          TID 4019 of the enclosing Imaging Measurements container, or null
 * @param regions                     the region and reference rows, and the group's source images (D28)
 * @param sourceSeriesForSegmentation Source series for segmentation (DCM 121232, TID 1411 row 10)
 * @param sourceImagesForSegmentation Source image for segmentation (DCM 121233, TID 1411 row 9) references
 * @param context                     Activity Session (D30) and the time point that applies to the group: its own
 *                                    TID 1502 rows, else the document's (D29)
 */
public record MeasurementGroup(int position, String path, String templateId, String observationUid,
                               String observationDateTime, String trackingIdentifier, String trackingUid,
                               CodedConcept findingCategory, CodedConcept finding, List<FindingSite> findingSites,
                               CodedConcept method, AlgorithmIdentification algorithm,
                               AlgorithmIdentification containerAlgorithm, List<RegionReference> regions,
                               String sourceSeriesForSegmentation, List<ReferencedSop> sourceImagesForSegmentation,
                               List<Measurement> measurements, List<QualitativeEvaluation> qualitativeEvaluations,
                               List<ContextItem> context) {

    public MeasurementGroup {
        findingSites = List.copyOf(findingSites);
        regions = List.copyOf(regions);
        sourceImagesForSegmentation = List.copyOf(sourceImagesForSegmentation);
        measurements = List.copyOf(measurements);
        qualitativeEvaluations = List.copyOf(qualitativeEvaluations);
        context = List.copyOf(context);
    }
}
