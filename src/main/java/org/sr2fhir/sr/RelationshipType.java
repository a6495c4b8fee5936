package org.sr2fhir.sr;

/** SR relationship types (PS3.3 C.17.3.2.4). */
public enum RelationshipType {
    CONTAINS, HAS_PROPERTIES, HAS_OBS_CONTEXT, HAS_ACQ_CONTEXT, INFERRED_FROM, SELECTED_FROM, HAS_CONCEPT_MOD;

    /** Parses the DICOM form ("HAS OBS CONTEXT"); null for anything else. */
    public static RelationshipType parse(String dicom) {
        if (dicom == null) {
            return null;
        }
        try {
            return valueOf(dicom.trim().replace(' ', '_'));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The DICOM form, with spaces. */
    public String dicom() {
        return name().replace('_', ' ');
    }
}
