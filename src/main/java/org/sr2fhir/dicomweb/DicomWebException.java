package org.sr2fhir.dicomweb;

import java.io.IOException;

/**
 * The archive answered a DICOMweb request with an error status or a response the client cannot use. It is an
 * {@link IOException}: the source treats it like a network failure (transient, back off and retry) unless the
 * status says the instance is gone.
 */
public class DicomWebException extends IOException {
    private final int status;

    public DicomWebException(String message, int status) {
        super(message);
        this.status = status;
    }

    public DicomWebException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** The HTTP status, or 0 when the failure is in the response body. */
    public int status() {
        return status;
    }
}
