package org.sr2fhir.tid1500;

import org.sr2fhir.InputRejectedException;
import org.sr2fhir.dicom.DicomReader;
import org.sr2fhir.sr.SrDocumentBuilder;

/**
 * The reading half of the pipeline: bytes → dataset → SR document → TID 1500 report. Shared by the route's
 * type converter, the DICOMweb source and the CLI. Thread-safe.
 */
public final class ReportReader {
    private final DicomReader dicomReader = new DicomReader();
    private final SrDocumentBuilder documentBuilder = new SrDocumentBuilder();

    /** Reads one input; {@code source} labels it (file name) in every message. */
    public MeasurementReport read(byte[] content, String source) throws InputRejectedException {
        return MeasurementReport.from(documentBuilder.build(dicomReader.read(content, source), source));
    }
}
