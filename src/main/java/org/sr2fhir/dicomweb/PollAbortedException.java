package org.sr2fhir.dicomweb;

/**
 * A poll stopped by a transient failure (archive or FHIR server unreachable, HTTP 5xx): nothing was recorded for
 * the instance in hand, so it is tried again once the back-off pause is over.
 */
public class PollAbortedException extends Exception {

    public PollAbortedException(String message, Throwable cause) {
        super(message, cause);
    }
}
