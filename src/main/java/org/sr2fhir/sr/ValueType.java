package org.sr2fhir.sr;

/** SR content item value types (PS3.3 C.17.3.2.1). */
public enum ValueType {
    CONTAINER, TEXT, CODE, NUM, DATETIME, DATE, TIME, UIDREF, PNAME, COMPOSITE, IMAGE, WAVEFORM, SCOORD, SCOORD3D,
    TCOORD, TABLE;

    /** Parses the DICOM form; null for anything else. */
    public static ValueType parse(String dicom) {
        if (dicom == null) {
            return null;
        }
        try {
            return valueOf(dicom.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
