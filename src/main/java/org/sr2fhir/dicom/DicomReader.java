package org.sr2fhir.dicom;

/**
 * Reads one DICOM input (Part 10, bare dataset or DICOM JSON, detected from the bytes) into a {@link DicomDataset}.
 * Thread-safe; one instance per application.
 */
public final class DicomReader {

    /** Reads {@code content}; {@code source} labels the input in messages (e.g. the file name). */
    public DicomDataset read(byte[] content, String source) throws DicomReadException {
        throw new UnsupportedOperationException("SKELETON: implemented by the reader work (issue 3)");
    }
}
