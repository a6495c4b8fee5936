package org.sr2fhir.sr;

/**
 * A coded concept from a Code Sequence Macro (PS3.3 Table 8.8-1): Code Value, or Long Code Value, or URN
 * Code Value; Coding Scheme Designator and Version; Code Meaning. {@link #schemeUid()} is the Coding Scheme UID
 * from the document's Coding Scheme Identification Sequence (0008,0110) when it names this designator.
 */
public record CodedConcept(String value, String longValue, String urnValue, String designator, String version,
                           String meaning, String schemeUid) {

    /** A concept with a plain Code Value, as written in templates ("DCM", "126000", "Imaging Measurement Report"). */
    public static CodedConcept of(String designator, String value, String meaning) {
        return new CodedConcept(value, null, null, designator, null, meaning, null);
    }

    /** The code: Code Value, else Long Code Value, else URN Code Value. */
    public String code() {
        return value != null ? value : longValue != null ? longValue : urnValue;
    }

    /** True when this concept has the given scheme designator and code (versions and meanings are ignored). */
    public boolean is(String designator, String code) {
        return code.equals(code()) && designator.equals(this.designator);
    }

    /** True when this concept is the same code as {@code other} (designator and code). */
    public boolean is(CodedConcept other) {
        return other != null && is(other.designator, other.code());
    }

    @Override
    public String toString() {
        return "(" + code() + ", " + designator + ", \"" + meaning + "\")";
    }
}
