package org.sr2fhir.tid1500;

import org.sr2fhir.InputRejectedException;
import org.sr2fhir.dicom.PersonName;
import org.sr2fhir.sr.CodedConcept;
import org.sr2fhir.sr.SrDocument;

import java.util.List;

/**
 * TID 1500 Measurement Report: the document (header values and content tree), its title (CID 7021), the person
 * observers of the root observer context (TID 1002), the Imaging Measurements container's groups (TID 1410 /
 * 1411 / 1501), the Derived Imaging Measurements (TID 1420) and the Qualitative Evaluations (TID 1500 row 12),
 * each with the TID 4019 algorithm of its container. Immutable.
 */
public record MeasurementReport(SrDocument document, CodedConcept title, List<PersonName> personObservers,
                                AlgorithmIdentification imagingMeasurementsAlgorithm,
                                List<MeasurementGroup> measurementGroups,
                                List<DerivedMeasurement> derivedMeasurements,
                                List<QualitativeEvaluation> qualitativeEvaluations,
                                AlgorithmIdentification qualitativeEvaluationsAlgorithm) {

    public MeasurementReport {
        personObservers = List.copyOf(personObservers);
        measurementGroups = List.copyOf(measurementGroups);
        derivedMeasurements = List.copyOf(derivedMeasurements);
        qualitativeEvaluations = List.copyOf(qualitativeEvaluations);
    }

    /**
     * Recognises a TID 1500 report (decision D1) and reads its model; anything else is rejected with one
     * sentence saying what the document is instead.
     */
    public static MeasurementReport from(SrDocument document) throws InputRejectedException {
        return new ReportParser(document).parse();
    }

    /** The measurement groups of the Imaging Measurements container, in document order (the route splits on them). */
    @Override
    public List<MeasurementGroup> measurementGroups() {
        return measurementGroups;
    }

    /** The SR SOP Instance UID. */
    public String sopInstanceUid() {
        return document.header().sopInstanceUid();
    }
}
