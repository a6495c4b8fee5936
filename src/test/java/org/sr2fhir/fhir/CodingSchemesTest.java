package org.sr2fhir.fhir;

import org.hl7.fhir.r5.model.Quantity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sr2fhir.sr.CodedConcept;

import java.math.BigDecimal;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The scheme table (decision D12) and units (D13). */
class CodingSchemesTest {
    private final CodingSchemes schemes = new CodingSchemes(Map.of("99LIDCQIICR", "http://cancerimagingarchive.net"));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "DCM, http://dicom.nema.org/resources/ontology/DCM",
            "SCT, http://snomed.info/sct",
            "UCUM, http://unitsofmeasure.org",
            "LN, http://loinc.org",
            "UMLS, http://terminology.hl7.org/CodeSystem/umls",
            "NCIt, http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl",
            "RADLEX, http://radlex.org",
            "RFC5646, urn:ietf:bcp:47",
            "99LIDCQIICR, http://cancerimagingarchive.net"})
    void designators(String designator, String system) {
        assertThat(schemes.system(CodedConcept.of(designator, "1", "x"))).isEqualTo(system);
    }

    @Test
    void schemeUidLongAndUrnCodeValues() {
        assertThat(schemes.system(new CodedConcept("1", null, null, "99X", null, "x", "1.2.3"))).isEqualTo("urn:oid:1.2.3");
        assertThat(schemes.system(CodedConcept.of("99X", "1", "x"))).isNull();
        CodedConcept longCode = new CodedConcept(null, "a-very-long-code-value-beyond-16", null, "SCT", null, "x", null);
        assertThat(schemes.coding(longCode).getCode()).isEqualTo("a-very-long-code-value-beyond-16");
        CodedConcept urn = new CodedConcept(null, null, "urn:example:thing", "99X", null, "x", null);
        assertThat(schemes.coding(urn).getSystem()).isEqualTo("urn:ietf:rfc:3986");
        assertThat(schemes.coding(urn).getCode()).isEqualTo("urn:example:thing");
    }

    @Test
    void legacySrtIsTranslatedAndKept() {
        var concept = schemes.concept(CodedConcept.of("SRT", "G-C0E3", "Finding Site"));
        assertThat(concept.getCoding()).extracting(c -> c.getSystem() + "|" + c.getCode())
                .containsExactly("http://snomed.info/sct|363698007", "http://snomed.info/srt|G-C0E3");
        assertThat(schemes.concept(CodedConcept.of("SRT", "NO-SUCH", "x")).getCoding()).hasSize(1);
    }

    @Test
    void quantitiesKeepTheWrittenDecimal() {
        Quantity q = schemes.quantity(new BigDecimal("3.111220E+04"), CodedConcept.of("UCUM", "mm3", "cubic millimeter"));
        assertThat(q.getValueElement().getValueAsString()).isEqualTo("31112.20");
        assertThat(q.getCode()).isEqualTo("mm3");
        assertThat(q.getUnit()).isEqualTo("cubic millimeter");
        assertThat(CodingSchemes.ucum("{SUVbw}g/ml")).isEqualTo("{SUVbw}.g/ml");
        assertThat(CodingSchemes.ucum("g/ml{SUVbw}")).isEqualTo("g/ml{SUVbw}");
        assertThat(CodingSchemes.ucum("{ratio}")).isEqualTo("{ratio}");
        assertThat(CodingSchemes.ucum("[hnsf'U]")).isEqualTo("[hnsf'U]");
    }
}
