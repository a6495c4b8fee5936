package org.sr2fhir;

/**
 * An input sr2fhir cleanly refuses: unreadable or hostile DICOM, not an SR, not a TID 1500 measurement report,
 * or a report that cannot be mapped. It goes to the error folder with {@link #getMessage()} as the reason.
 * The message names the source and, when known, the SOP Instance UID, never patient data (decision D21).
 */
public class InputRejectedException extends Exception {
    private final String source;
    private final String sopInstanceUid;
    private final String reason;
    private final String retryHint;

    public InputRejectedException(String source, String sopInstanceUid, String reason) {
        this(source, sopInstanceUid, reason, null);
    }

    public InputRejectedException(String source, String sopInstanceUid, String reason, Throwable cause) {
        this(source, sopInstanceUid, reason, cause, null);
    }

    private InputRejectedException(String source, String sopInstanceUid, String reason, Throwable cause,
                                   String retryHint) {
        super(format(source, sopInstanceUid, reason), cause);
        this.source = source;
        this.sopInstanceUid = sopInstanceUid;
        this.reason = reason;
        this.retryHint = retryHint;
    }

    /**
     * A refusal that the same input may overcome later without being changed, e.g. a report whose ImagingStudy the
     * FHIR server does not hold yet (decision D26). It goes to the error folder at once, marked retryable with
     * {@code retryHint} (what to do), and is not retried automatically.
     */
    public static InputRejectedException retryableLater(String source, String sopInstanceUid, String reason,
                                                        String retryHint) {
        return new InputRejectedException(source, sopInstanceUid, reason, null, retryHint);
    }

    private static String format(String source, String sopInstanceUid, String reason) {
        return (source == null ? "input" : source)
                + (sopInstanceUid == null ? "" : " (SOP Instance UID " + sopInstanceUid + ")")
                + ": " + reason;
    }

    public String source() {
        return source;
    }

    /** The SR's SOP Instance UID, or null when it could not be read. */
    public String sopInstanceUid() {
        return sopInstanceUid;
    }

    /** What is wrong, without the source prefix. */
    public String reason() {
        return reason;
    }

    /** What to do before sending the same input again, or null when it will fail the same way. */
    public String retryHint() {
        return retryHint;
    }
}
