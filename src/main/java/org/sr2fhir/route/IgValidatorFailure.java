package org.sr2fhir.route;

/**
 * The IG validator itself failed on a Bundle (an exception inside it, or it ran out of memory): a local failure,
 * never the FHIR server's answer, even when the validator wraps it in a HAPI server exception such as
 * InternalErrorException (HTTP 500) (decision D52).
 */
public class IgValidatorFailure extends RuntimeException {
    public IgValidatorFailure(String source, String sopInstanceUid, Throwable cause) {
        super((source == null ? "input" : source) + (sopInstanceUid == null ? "" : " (SOP Instance UID " + sopInstanceUid
                + ")") + ": the IG validator failed on its Bundle (a local failure; nothing was sent): " + cause, cause);
    }
}
