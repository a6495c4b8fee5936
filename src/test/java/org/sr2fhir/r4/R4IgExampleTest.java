package org.sr2fhir.r4;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.BodyStructure;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sr2fhir.fhir.MappingSettings;
import org.sr2fhir.fhir.ReportMapper;
import org.sr2fhir.tid1500.ReportCorpus;

/**
 * The IG example (ig-digest §6.2) in R4: its facts at their R4 places (decisions D36-D40). The whole Bundle is also
 * compared with the reviewed golden file (GoldenBundleTest); this test names the places.
 */
class R4IgExampleTest {
    private static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    private static final String SCT = "http://snomed.info/sct";
    private static final String STUDY = "urn:oid:1.2.840.113747.20080222.83311413144566317081790268995";
    private static Bundle bundle;

    @BeforeAll
    static void render() throws Exception {
        MappingSettings d = MappingSettings.defaults();
        MappingSettings settings = new MappingSettings(d.defaultTimezone(), d.createMissing(), d.ids(), d.issuerSystems(),
                d.defaultPatientSystem(), d.defaultAccessionSystem(), Map.of("99LIDCQIICR", "http://cancerimagingarchive.net"),
                d.diagnosticReport(), 0);
        bundle = new R4Renderer().render(new ReportMapper(settings).convert(
                ReportCorpus.read(ReportCorpus.SHARED.resolve("ig/dicom/Example-MeasurementReport.json"))));
    }

    @Test
    void referencedResources() {
        Observation group = observation("241053004");
        assertThat(group.getSubject().getReference()).isEqualTo("Patient?identifier=urn:sr2fhir:patient-id|PID-11235");
        assertThat(group.getBasedOnFirstRep().getIdentifier().getValue()).isEqualTo("ACSN-235813");
        assertThat(group.getBasedOnFirstRep().getIdentifier().getSystem()).isEqualTo("http://test-hospital.org/acsn");
        assertThat(group.getPartOfFirstRep().getReference()).isEqualTo("ImagingStudy?identifier=urn:dicom:uid|" + STUDY);
        Practitioner practitioner = only(Practitioner.class);
        assertThat(practitioner.getNameFirstRep().getFamily()).isEqualTo("RADIOLOGIST");
        assertThat(practitioner.getNameFirstRep().getGivenAsSingleString()).isEqualTo("EXAMPLE");
    }

    @Test
    void devices() {
        Device equipment = device("dicom-general-equipment");
        assertThat(equipment.getManufacturer()).isEqualTo("Example Device Manufacturer");
        assertThat(equipment.getDeviceNameFirstRep().getName()).isEqualTo("Example Imaging Measurement Device");
        assertThat(equipment.getDeviceNameFirstRep().getType()).isEqualTo(Device.DeviceNameType.USERFRIENDLYNAME);
        assertThat(equipment.getIdentifierFirstRep().getValue()).isEqualTo(STUDY + ".8888");
        Device algorithm = device("algorithm-identification");
        assertThat(algorithm.getDeviceNameFirstRep().getName()).isEqualTo("pylidc");
        assertThat(algorithm.getDeviceNameFirstRep().getExtensionString(Xver.extension("Device.displayName"))).isEqualTo("pylidc");
        assertThat(algorithm.getVersionFirstRep().getValue()).isEqualTo("0.2.0");
        assertThat(algorithm.getParent().getReference()).isEqualTo(fullUrl(equipment));
        assertThat(algorithm.getMeta().getProfile()).extracting(p -> p.getValue()).containsExactly(Xver.profile("Device"));
    }

    @Test
    void findingSite() {
        BodyStructure site = only(BodyStructure.class);
        assertThat(site.getIdentifier()).extracting(i -> i.getType().getCodingFirstRep().getCode(), i -> i.getValue())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("112039", "Nodule 1"),
                        org.assertj.core.groups.Tuple.tuple("112040", STUDY + ".100"));
        assertThat(site.getLocation().getCodingFirstRep().getCode()).isEqualTo("39607008");
        Extension included = site.getExtensionByUrl(Xver.extension("BodyStructure.includedStructure"));
        assertThat(((CodeableConcept) included.getExtensionByUrl("structure").getValue()).getCodingFirstRep().getCode())
                .isEqualTo("39607008");
        assertThat(site.getPatient().getReference()).startsWith("Patient?identifier=");
    }

    @Test
    void referencedSegmentIsTheXverBasic() {
        Basic segment = only(Basic.class);
        assertThat(segment.getMeta().getProfile()).extracting(p -> p.getValue())
                .containsExactly(Xver.profile("ImagingSelection"));
        assertThat(segment.getMeta().getTag()).extracting(Coding::getCode)
                .containsExactly("http://hl7.org/fhir/uv/dicom-sr/StructureDefinition/referenced-segment");
        assertThat(segment.getCode().getCoding()).extracting(Coding::getSystem, Coding::getCode).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Xver.FHIR_TYPES, "ImagingSelection"),
                org.assertj.core.groups.Tuple.tuple(DCM, "121191"));
        assertThat(segment.getModifierExtension().get(0).getValue().primitiveValue()).isEqualTo("available");
        assertThat(segment.getSubject().getReference()).startsWith("Patient?identifier=");
        assertThat(((Reference) ext(segment, "derivedFrom").getValue()).getReference()).contains(STUDY);
        assertThat(((CodeableConcept) ext(segment, "code").getValue()).getCodingFirstRep().getCode()).isEqualTo("121191");
        Extension instance = ext(segment, "instance");
        assertThat(instance.getExtensionString("uid")).isEqualTo("1.2.840.113747.20080222.83311413144566317081790268995.2.1");
        Coding sopClass = (Coding) instance.getExtensionByUrl("sopClass").getValue();
        assertThat(sopClass.getCode()).isEqualTo("1.2.840.10008.5.1.4.1.1.66.4");
        assertThat(sopClass.getDisplay()).isEqualTo("Segmentation Storage");
        assertThat(instance.getExtensionString("subset")).isEqualTo("1");
        Extension bodySite = ext(segment, "bodySite");
        assertThat(((Reference) bodySite.getExtensionByUrl("reference").getValue()).getReference())
                .isEqualTo(fullUrl(only(BodyStructure.class)));
        assertThat(bodySite.getExtensionString(Xver.DATATYPE)).isEqualTo("CodeableReference");
        assertThat(requestUrl(segment)).isEqualTo("Basic/" + segment.getIdElement().getIdPart());
    }

    @Test
    void measurementGroup() {
        Observation group = observation("241053004");
        assertThat(group.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
        assertThat(group.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("125007");
        assertThat(group.getValueCodeableConcept().getCodingFirstRep().getCode()).isEqualTo("427359005");
        assertThat(group.getIssuedElement().getValueAsString()).startsWith("2019-03-23T08:24:28");
        assertThat(group.getDevice().getReference()).isEqualTo(fullUrl(device("dicom-general-equipment")));
        assertThat(group.getHasMember()).hasSize(5);
        assertThat(group.getPerformerFirstRep().getReference()).isEqualTo(fullUrl(only(Practitioner.class)));
        assertDerivedFromTheSegmentAndOnTheSite(group);
    }

    @Test
    void measurements() {
        Object[][] expected = {{"118565006", "31112.2", "mm3"}, {"81827009", "49.94462", "mm"}, {"301898006", "9026.567", "mm2"}};
        for (Object[] row : expected) {
            Observation measurement = observation((String) row[0]);
            assertThat(measurement.getValueQuantity().getValue()).isEqualByComparingTo(new BigDecimal((String) row[1]));
            assertThat(measurement.getValueQuantity().getCode()).isEqualTo(row[2]);
            assertThat(measurement.getValueQuantity().getSystem()).isEqualTo("http://unitsofmeasure.org");
            assertThat(measurement.getDevice().getReference()).isEqualTo(fullUrl(device("algorithm-identification")));
            assertThat(measurement.getCategory()).isEmpty();
            assertDerivedFromTheSegmentAndOnTheSite(measurement);
        }
    }

    @Test
    void qualitativeEvaluations() {
        Observation subtlety = observation("C45992");
        assertThat(subtlety.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("C0034375");
        assertThat(subtlety.getValueCodeableConcept().getCodingFirstRep().getSystem()).isEqualTo("http://cancerimagingarchive.net");
        assertThat(subtlety.getValueCodeableConcept().getCodingFirstRep().getCode()).isEqualTo("105");
        Observation malignancy = observation("RID36042");
        assertThat(malignancy.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://radlex.org");
        assertThat(malignancy.getValueCodeableConcept().getCodingFirstRep().getCode()).isEqualTo("905");
        for (Observation evaluation : List.of(subtlety, malignancy)) {
            assertThat(evaluation.getDevice().getReference()).isEqualTo(fullUrl(device("dicom-general-equipment")));
            assertDerivedFromTheSegmentAndOnTheSite(evaluation);
        }
    }

    @Test
    void diagnosticReportNamesTheStudyInR4ImagingStudy() {
        DiagnosticReport report = only(DiagnosticReport.class);
        assertThat(report.getImagingStudyFirstRep().getReference()).contains(STUDY);
        assertThat(report.getResult()).hasSize(1);
    }

    /** D38: derivedFrom the Basic through alternate-reference, bodyStructure as the xver extension. */
    private static void assertDerivedFromTheSegmentAndOnTheSite(Observation observation) {
        Reference derivedFrom = observation.getDerivedFromFirstRep();
        assertThat(derivedFrom.hasReference()).isFalse();
        assertThat(((Reference) derivedFrom.getExtensionByUrl(Xver.ALTERNATE_REFERENCE).getValue()).getReference())
                .isEqualTo(fullUrl(only(Basic.class)));
        assertThat(((Reference) observation.getExtensionByUrl(Xver.extension("Observation.bodyStructure")).getValue())
                .getReference()).isEqualTo(fullUrl(only(BodyStructure.class)));
        assertThat(observation.getMeta().getProfile()).extracting(p -> p.getValue())
                .containsExactly(Xver.profile("Observation"));
    }

    private static Extension ext(Basic basic, String element) {
        return basic.getExtensionByUrl(Xver.extension("ImagingSelection." + element));
    }

    private static Observation observation(String code) {
        return resources(Observation.class).stream().filter(o -> code.equals(o.getCode().getCodingFirstRep().getCode()))
                .findFirst().orElseThrow(() -> new AssertionError("no Observation " + code));
    }

    private static Device device(String r5Profile) {
        return resources(Device.class).stream().filter(d -> d.getMeta().getTag().stream()
                .anyMatch(t -> t.getCode().endsWith("/" + r5Profile))).findFirst().orElseThrow();
    }

    private static <T extends Resource> T only(Class<T> type) {
        List<T> all = resources(type);
        assertThat(all).as(type.getSimpleName()).hasSize(1);
        return all.get(0);
    }

    private static <T extends Resource> List<T> resources(Class<T> type) {
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(type::isInstance)
                .map(type::cast).toList();
    }

    private static String fullUrl(Resource resource) {
        return bundle.getEntry().stream().filter(e -> e.getResource() == resource).findFirst().orElseThrow().getFullUrl();
    }

    private static String requestUrl(Resource resource) {
        return bundle.getEntry().stream().filter(e -> e.getResource() == resource).findFirst().orElseThrow()
                .getRequest().getUrl();
    }
}
