package org.sr2fhir.dicom;

/** DICOM value representations (PS3.5 §6.2), with the header form each takes in explicit-VR encodings. */
public enum VR {
    AE, AS, AT, CS, DA, DS, DT, FL, FD, IS, LO, LT, OB, OD, OF, OL, OV, OW, PN, SH, SL, SQ, SS, ST, SV, TM,
    UC, UI, UL, UN, UR, US, UT, UV;

    /** True when an explicit-VR header for this VR has two reserved bytes and a 4-byte length (PS3.5 §7.1.2). */
    public boolean hasLongLength() {
        return switch (this) {
            case OB, OD, OF, OL, OV, OW, SQ, SV, UC, UN, UR, UT, UV -> true;
            default -> false;
        };
    }

    /** True for VRs whose value is text in the dataset's character set (or ASCII). */
    public boolean isString() {
        return switch (this) {
            case AE, AS, CS, DA, DS, DT, IS, LO, LT, PN, SH, ST, TM, UC, UI, UR, UT -> true;
            default -> false;
        };
    }

    /** True for string VRs that can hold several values separated by a backslash. */
    public boolean isMultiValuedString() {
        return isString() && this != LT && this != ST && this != UT && this != UR;
    }

    /**
     * True for string VRs whose leading spaces are padding, not content (PS3.5 §6.2, Table 6.2-1); the text VRs
     * LT, ST, UT keep them, UR and UC may not have them, and PN components keep what the producer wrote.
     */
    public boolean hasInsignificantLeadingSpaces() {
        return switch (this) {
            case AE, AS, CS, DA, DS, DT, IS, LO, SH, TM, UI -> true;
            default -> false;
        };
    }

    /** True for string VRs whose bytes are decoded with Specific Character Set (PS3.5 §6.1.2.3). */
    public boolean usesSpecificCharacterSet() {
        return switch (this) {
            case LO, LT, PN, SH, ST, UC, UT -> true;
            default -> false;
        };
    }

    /** Parses a two-letter VR; returns null for anything that is not a VR. */
    public static VR parse(String code) {
        if (code == null || code.length() != 2) {
            return null;
        }
        try {
            return VR.valueOf(code);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
