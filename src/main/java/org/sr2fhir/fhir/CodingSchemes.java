package org.sr2fhir.fhir;

import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Quantity;
import org.hl7.fhir.r5.model.StringType;
import org.sr2fhir.sr.CodedConcept;
import org.sr2fhir.tid1500.LegacyCodes;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one scheme table for codes and units (decision D12): Coding Scheme Designator → system URI (built-in
 * entries, extendable by configuration), else urn:oid: + the Coding Scheme UID; legacy SRT codes translated to
 * SCT with the original kept as a second coding. Immutable and thread-safe.
 */
final class CodingSchemes {
    static final String UCUM = "http://unitsofmeasure.org";
    static final String SCT = "http://snomed.info/sct";
    static final String SRT = "http://snomed.info/srt";
    /** Decision D33: the unit's Code Value exactly as the SR wrote it, when Quantity.code had to be corrected. */
    static final String DICOM_UNIT_CODE = Extensions.BASE + "dicom-unit-code";

    private static final Map<String, String> BUILT_IN = Map.ofEntries(
            Map.entry("DCM", Profiles.DCM),
            Map.entry("SCT", SCT),
            Map.entry("SRT", SRT),
            Map.entry("UCUM", UCUM),
            Map.entry("LN", "http://loinc.org"),
            Map.entry("UMLS", Profiles.UMLS),
            Map.entry("NCIt", "http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl"),
            Map.entry("RADLEX", "http://radlex.org"),
            Map.entry("RFC5646", "urn:ietf:bcp:47"),
            Map.entry("I10", "http://hl7.org/fhir/sid/icd-10"),
            Map.entry("FMA", "http://purl.org/sig/ont/fma"),
            Map.entry("UBERON", "http://purl.obolibrary.org/obo/uberon.owl"));

    private final Map<String, String> systems;

    CodingSchemes(Map<String, String> configured) {
        Map<String, String> all = new HashMap<>(BUILT_IN);
        all.putAll(configured);
        this.systems = Map.copyOf(all);
    }

    /** The system URI of a concept's scheme, or null when neither the table nor a scheme UID names it. */
    String system(CodedConcept concept) {
        if (concept.value() == null && concept.longValue() == null && concept.urnValue() != null) {
            return "urn:ietf:rfc:3986";
        }
        String designator = concept.designator();
        String system = designator == null ? null : systems.get(designator);
        if (system == null && "RADLEX".equalsIgnoreCase(designator)) {
            system = systems.get("RADLEX");
        }
        if (system == null && concept.schemeUid() != null) {
            system = "urn:oid:" + concept.schemeUid();
        }
        return system;
    }

    /** A concept as a CodeableConcept, with the codings of {@link #codings}. */
    CodeableConcept concept(CodedConcept concept) {
        CodeableConcept result = new CodeableConcept();
        codings(concept).forEach(result::addCoding);
        return result;
    }

    /**
     * Decisions D12 and D27: the one translation every coded value goes through. An SRT code with a known SCT
     * translation gives the SCT coding first, then the original; an SRT code the table does not know keeps its SRT
     * coding only (the conversion report lists it).
     */
    List<Coding> codings(CodedConcept concept) {
        List<Coding> codings = new ArrayList<>();
        if ("SRT".equals(concept.designator())) {
            String sct = LegacyCodes.sctForSrt(concept.code());
            if (sct != null) {
                codings.add(new Coding(SCT, sct, concept.meaning()));
            }
        }
        codings.add(coding(concept));
        return codings;
    }

    Coding coding(CodedConcept concept) {
        Coding coding = new Coding(system(concept), concept.code(), concept.meaning());
        if (concept.version() != null && !concept.version().isBlank()) {
            coding.setVersion(concept.version());
        }
        return coding;
    }

    /**
     * Decision D13: the value exactly as written, UCUM code / meaning when the unit is UCUM. Decision D33: a DICOM
     * UCUM code the UCUM grammar rejects is written in its valid form, and DICOM's own code stays beside it in the
     * {@link #DICOM_UNIT_CODE} extension (a Quantity holds one code).
     */
    Quantity quantity(BigDecimal value, CodedConcept unit) {
        Quantity quantity = new Quantity();
        quantity.setValue(value);
        if (unit != null) {
            quantity.setUnit(unit.meaning());
            String system = system(unit);
            quantity.setSystem(system);
            String code = UCUM.equals(system) ? ucum(unit.code()) : unit.code();
            quantity.setCode(code);
            if (code != null && !code.equals(unit.code())) {
                quantity.addExtension(DICOM_UNIT_CODE, new StringType(unit.code()));
            }
        }
        return quantity;
    }

    /**
     * DICOM writes some UCUM units with a leading annotation glued to a symbol ("{SUVbw}g/ml", CID 85), which the
     * UCUM grammar rejects; the same unit written with the multiplication dot ("{SUVbw}.g/ml") is valid UCUM (D33).
     */
    static String ucum(String code) {
        return code == null ? null : code.replaceFirst("^(\\{[^}]*})(?=[A-Za-z\\[(])", "$1.");
    }
}
