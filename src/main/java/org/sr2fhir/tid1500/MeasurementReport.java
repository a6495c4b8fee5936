package org.sr2fhir.tid1500;

import org.sr2fhir.InputRejectedException;
import org.sr2fhir.sr.CodedConcept;
import org.sr2fhir.sr.SrDocument;

import java.util.List;

/**
 * TID 1500 Measurement Report: the document (header values and content tree), its title (CID 7021), the observers
 * of the root observer context (TID 1002: persons, D32; the device, D31), the document's time point (TID 1502, D29),
 * the Imaging Measurements container's groups (TID 1410 / 1411 / 1501; groups directly under the root too, D23), the
 * Derived Imaging Measurements (TID 1420) and the Qualitative Evaluations (TID 1500 row 12), each with the TID 4019
 * algorithm of its container; and what reading left out or tolerated (D34). Immutable.
 *
 * @param deviceObserver the first device observer, or null
 * @param timePoint      the TID 1502 rows of the root observer context (empty when there are none)
 * @param notMapped      content items that are not carried into FHIR, with the reason
 * @param deviations     departures from TID 1500 that reading tolerated
 */
public record MeasurementReport(SrDocument document, CodedConcept title, List<PersonObserver> personObservers,
                                DeviceObserver deviceObserver, List<ContextItem> timePoint,
                                AlgorithmIdentification imagingMeasurementsAlgorithm,
                                List<MeasurementGroup> measurementGroups,
                                List<DerivedMeasurement> derivedMeasurements,
                                List<QualitativeEvaluation> qualitativeEvaluations,
                                AlgorithmIdentification qualitativeEvaluationsAlgorithm,
                                List<NotMappedItem> notMapped, List<Deviation> deviations) {

    public MeasurementReport {
        personObservers = List.copyOf(personObservers);
        timePoint = List.copyOf(timePoint);
        measurementGroups = List.copyOf(measurementGroups);
        derivedMeasurements = List.copyOf(derivedMeasurements);
        qualitativeEvaluations = List.copyOf(qualitativeEvaluations);
        notMapped = List.copyOf(notMapped);
        deviations = List.copyOf(deviations);
    }

    /**
     * Recognises a TID 1500 report (decision D1, as extended) and reads its model; anything else is rejected with one
     * sentence saying what the document is instead.
     */
    public static MeasurementReport from(SrDocument document) throws InputRejectedException {
        return new ReportParser(document).parse();
    }

    /** The measurement groups, in document order (the route splits on them). */
    @Override
    public List<MeasurementGroup> measurementGroups() {
        return measurementGroups;
    }

    /** True when no Observation can come out: no group, no derived measurement, no qualitative evaluation (D23). */
    public boolean isEmpty() {
        return measurementGroups.isEmpty() && derivedMeasurements.isEmpty() && qualitativeEvaluations.isEmpty();
    }

    /** The SR SOP Instance UID. */
    public String sopInstanceUid() {
        return document.header().sopInstanceUid();
    }
}
