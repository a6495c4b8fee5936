package org.sr2fhir.dicom;

import org.sr2fhir.InputRejectedException;

/**
 * A DICOM input that cannot be read: malformed, truncated, over a safety limit or in an unsupported form.
 * The reason names the byte offset or JSON path and the tag where known, and never patient data (D21).
 */
public class DicomReadException extends InputRejectedException {

    public DicomReadException(String source, String reason) {
        super(source, null, reason);
    }

    public DicomReadException(String source, String reason, Throwable cause) {
        super(source, null, reason, cause);
    }
}
