package org.sr2fhir.fhir;

import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Quantity;
import org.sr2fhir.sr.CodedConcept;
import org.sr2fhir.tid1500.LegacyCodes;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * The one scheme table for codes and units (decision D12): Coding Scheme Designator → system URI (built-in
 * entries, extendable by configuration), else urn:oid: + the Coding Scheme UID; legacy SRT codes translated to
 * SCT with the original kept as a second coding. Immutable and thread-safe.
 */
final class CodingSchemes {
    static final String UCUM = "http://unitsofmeasure.org";
    static final String SCT = "http://snomed.info/sct";

    private static final Map<String, String> BUILT_IN = Map.ofEntries(
            Map.entry("DCM", Profiles.DCM),
            Map.entry("SCT", SCT),
            Map.entry("SRT", "http://snomed.info/srt"),
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

    /** A concept as a CodeableConcept; an SRT code with a known SCT translation gets the SCT coding first. */
    CodeableConcept concept(CodedConcept concept) {
        CodeableConcept result = new CodeableConcept();
        if ("SRT".equals(concept.designator())) {
            String sct = LegacyCodes.sctForSrt(concept.code());
            if (sct != null) {
                result.addCoding(new Coding(SCT, sct, concept.meaning()));
            }
        }
        result.addCoding(coding(concept));
        return result;
    }

    Coding coding(CodedConcept concept) {
        Coding coding = new Coding(system(concept), concept.code(), concept.meaning());
        if (concept.version() != null && !concept.version().isBlank()) {
            coding.setVersion(concept.version());
        }
        return coding;
    }

    /** Decision D13: the value exactly as written, UCUM code / meaning when the unit is UCUM. */
    Quantity quantity(BigDecimal value, CodedConcept unit) {
        Quantity quantity = new Quantity();
        quantity.setValue(value);
        if (unit != null) {
            quantity.setUnit(unit.meaning());
            String system = system(unit);
            quantity.setSystem(system);
            quantity.setCode(UCUM.equals(system) ? ucum(unit.code()) : unit.code());
        }
        return quantity;
    }

    /**
     * DICOM writes some UCUM units with a leading annotation glued to a symbol ("{SUVbw}g/ml", CID 85), which the
     * UCUM grammar rejects; the same unit written with the multiplication dot ("{SUVbw}.g/ml") is valid UCUM.
     */
    static String ucum(String code) {
        return code == null ? null : code.replaceFirst("^(\\{[^}]*})(?=[A-Za-z\\[(])", "$1.");
    }
}
