package org.sr2fhir.tid1500;

import org.sr2fhir.InputRejectedException;
import org.sr2fhir.dicom.DicomDataset;
import org.sr2fhir.dicom.DicomReader;
import org.sr2fhir.dicom.ReadLimits;
import org.sr2fhir.dicom.Tag;
import org.sr2fhir.privacy.Redaction;
import org.sr2fhir.sr.SrDocumentBuilder;

/**
 * The reading half of the pipeline: bytes → dataset → SR document → TID 1500 report. Shared by the route's
 * type converter, the DICOMweb source and the CLI. Thread-safe.
 */
public final class ReportReader {
    private final DicomReader dicomReader;
    private final ReadLimits limits;
    private final SrDocumentBuilder documentBuilder = new SrDocumentBuilder();

    /** A reader with the built-in limits ({@link ReadLimits#DEFAULTS}). */
    public ReportReader() {
        this(ReadLimits.DEFAULTS);
    }

    /** A reader refusing inputs past {@code limits} (settings sr2fhir.limits.*, decision D51). */
    public ReportReader(ReadLimits limits) {
        this.dicomReader = new DicomReader(limits);
        this.limits = limits;
    }

    /**
     * Decision D48: an input larger than the read limit is refused on its size, before a byte of it is read (a file
     * bigger than the heap would otherwise end the reading thread).
     */
    public void refuseIfTooLarge(long size, String source) throws InputRejectedException {
        if (size > limits.maxInputBytes()) {
            throw new InputRejectedException(source, null, "input of " + size + " bytes is larger than "
                    + "sr2fhir.limits.max-input-size (" + limits.maxInputBytes() + " bytes); it was not read");
        }
    }

    /** Reads one input; {@code source} labels it (file name) in every message. */
    public MeasurementReport read(byte[] content, String source) throws InputRejectedException {
        DicomDataset dataset = dicomReader.read(content, source);
        rememberPatient(dataset);
        return MeasurementReport.from(documentBuilder.build(dataset, source));
    }

    /**
     * Decision D47: the patient's name, ID and birth date are known to {@link Redaction} before anything else can
     * fail and quote them (a mapping refusal, a parser's message, the FHIR server's answer).
     */
    private static void rememberPatient(DicomDataset dataset) {
        Redaction.remember(text(dataset, Tag.PatientName), text(dataset, Tag.PatientID),
                text(dataset, Tag.PatientBirthDate));
    }

    /** An element's value as written, or null when it has none or is not text (a hostile input's wrong VR). */
    private static String text(DicomDataset dataset, int tag) {
        try {
            return dataset.getString(tag);
        } catch (RuntimeException notText) {
            return null;
        }
    }
}
