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

    public InputRejectedException(String source, String sopInstanceUid, String reason) {
        this(source, sopInstanceUid, reason, null);
    }

    public InputRejectedException(String source, String sopInstanceUid, String reason, Throwable cause) {
        super(format(source, sopInstanceUid, reason), cause);
        this.source = source;
        this.sopInstanceUid = sopInstanceUid;
        this.reason = reason;
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
}
