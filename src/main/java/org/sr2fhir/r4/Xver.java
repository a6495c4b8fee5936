package org.sr2fhir.r4;

/**
 * URLs of HL7's cross-version package {@code hl7.fhir.uv.xver-r5.r4} (R5 elements carried in R4), of the extensions
 * pack it uses, and of the xver profiles sr2fhir claims in R4 (decision D36).
 */
final class Xver {
    static final String EXTENSION = "http://hl7.org/fhir/5.0/StructureDefinition/extension-";
    static final String PROFILE = "http://hl7.org/fhir/5.0/StructureDefinition/profile-";
    /** R4 Observation.derivedFrom cannot target Basic: the reference carries its target here (decision D38). */
    static final String ALTERNATE_REFERENCE = "http://hl7.org/fhir/StructureDefinition/alternate-reference";
    /** The R5 data type of a complex extension standing for a CodeableReference. */
    static final String DATATYPE = "http://hl7.org/fhir/StructureDefinition/_datatype";
    /** Basic.code of an R5 ImagingSelection carried on Basic. */
    static final String FHIR_TYPES = "http://hl7.org/fhir/fhir-types";

    private Xver() {
    }

    static String extension(String r5Element) {
        return EXTENSION + r5Element;
    }

    static String profile(String r5Resource) {
        return PROFILE + r5Resource;
    }
}
