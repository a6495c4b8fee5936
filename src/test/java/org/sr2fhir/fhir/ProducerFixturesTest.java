package org.sr2fhir.fhir;

import org.hl7.fhir.r5.model.BodyStructure;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.DecimalType;
import org.hl7.fhir.r5.model.Device;
import org.hl7.fhir.r5.model.DiagnosticReport;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.ImagingSelection;
import org.hl7.fhir.r5.model.Observation;
import org.hl7.fhir.r5.model.Organization;
import org.hl7.fhir.r5.model.PractitionerRole;
import org.hl7.fhir.r5.model.Quantity;
import org.hl7.fhir.r5.model.Reference;
import org.junit.jupiter.api.Test;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.conversion.ConversionReport;
import org.sr2fhir.sr.CodedConcept;
import org.sr2fhir.tid1500.Deviation;
import org.sr2fhir.tid1500.MeasurementReport;
import org.sr2fhir.tid1500.NotMappedItem;
import org.sr2fhir.tid1500.ProducerFixtures;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sr2fhir.fhir.BundleEntries.all;
import static org.sr2fhir.fhir.BundleEntries.resolve;
import static org.sr2fhir.fhir.BundleEntries.withProfile;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Issue 10, one test per class of real producers' reports that lost data, on fixtures written by DCMTK's xml2dsr
 * (src/test/resources/producers): the exact resources and values that come out, and what the conversion report says.
 */
class ProducerFixturesTest {
    private static final String SCT = "http://snomed.info/sct";
    private static final String SRT = "http://snomed.info/srt";

    private static Bundle convert(String fixture) throws InputRejectedException {
        return new ReportMapper(MappingSettings.defaults()).convert(ProducerFixtures.read(fixture));
    }

    private static List<String> codings(CodeableConcept concept) {
        return concept.getCoding().stream().map(c -> c.getSystem() + "|" + c.getCode()).toList();
    }

    private static List<String> types(Bundle bundle) {
        return bundle.getEntry().stream().map(e -> e.getResource().fhirType()).toList();
    }

    /** Class 1: Measurement Groups directly under the root are mapped as if inside 126010 (D23). */
    @Test
    void groupsDirectlyUnderTheRootAreMapped() throws Exception {
        MeasurementReport report = ProducerFixtures.read("groups-under-root");
        assertThat(report.deviations()).containsExactly(new Deviation("1.3", "Measurement Group directly under the "
                + "root (no Imaging Measurements container): read as if inside one", "D23"));
        Bundle bundle = new ReportMapper(MappingSettings.defaults()).convert(report);
        assertThat(types(bundle)).containsExactly("Device", "Practitioner", "ImagingSelection", "Observation",
                "Observation", "DiagnosticReport");
        Observation group = withProfile(bundle, Profiles.MEASUREMENT_GROUP).get(0);
        assertThat(codings(group.getValueCodeableConcept())).containsExactly(SCT + "|27925004");
        Observation length = (Observation) resolve(bundle, group.getHasMemberFirstRep());
        assertThat(codings(length.getCode())).containsExactly(SCT + "|410668003");
        assertThat(length.getValueQuantity().getValue()).isEqualByComparingTo("54.3");
        assertThat(length.getValueQuantity().getCode()).isEqualTo("mm");
        ImagingSelection region = (ImagingSelection) resolve(bundle, length.getDerivedFromFirstRep());
        assertThat(region.getMeta().hasProfile(Profiles.IMAGE_REGION_2D)).isTrue();
        assertThat(region.getInstanceFirstRep().getUid()).isEqualTo("2.25.10011");
        assertThat(region.getInstanceFirstRep().getImageRegion2DFirstRep().getCoordinate())
                .extracting(DecimalType::getValueAsString).containsExactly("120.0", "88.0", "180.0", "140.0");
        DiagnosticReport diagnosticReport = all(bundle, DiagnosticReport.class).get(0);
        assertThat(diagnosticReport.getResult()).extracting(Reference::getReference)
                .containsExactly(bundle.getEntry().get(3).getFullUrl());
        assertThat(ConversionReport.converted(report, List.of(bundle)).summary()).isEqualTo("groups-under-root.dcm "
                + "(SR 2.25.10101): converted, 6 resources (Device 1, DiagnosticReport 1, ImagingSelection 1, "
                + "Observation 2, Practitioner 1); 1 content item not mapped: Language of Content Item and "
                + "Descendants; 1 deviation tolerated: D23");
    }

    /** Class 1: a TID 1500 report from which no Observation comes out is refused, saying what it holds (D23). */
    @Test
    void aReportWithNothingToMapIsRefusedSayingWhatItHolds() throws Exception {
        MeasurementReport report = ProducerFixtures.read("nothing-to-map");
        assertThatThrownBy(() -> new ReportMapper(MappingSettings.defaults()).convert(report))
                .isInstanceOf(InputRejectedException.class)
                .extracting(e -> ((InputRejectedException) e).reason()).isEqualTo("nothing to map: no Measurement "
                        + "Group, derived measurement or qualitative evaluation, so no Observation would come out; "
                        + "the document holds Language of Content Item and Descendants (CODE), Image Library "
                        + "(CONTAINER, 1 item), Imaging Measurements (CONTAINER, empty)");
        assertThat(report.notMapped()).extracting(NotMappedItem::path, NotMappedItem::descendants)
                .containsExactly(tuple("1.1", 0),
                        tuple("1.2", 2));
    }

    /** Class 2: every Finding Site is kept, each with its own laterality and modifier (D24). */
    @Test
    void severalFindingSitesAreAllKept() throws Exception {
        Bundle bundle = convert("several-finding-sites");
        List<Observation> measurements = withProfile(bundle, Profiles.MEASUREMENT);
        Observation group = withProfile(bundle, Profiles.MEASUREMENT_GROUP).get(0);
        BodyStructure groupSites = (BodyStructure) resolve(bundle, group.getBodyStructure());
        assertThat(groupSites.getIncludedStructure()).hasSize(2);
        assertThat(codings(groupSites.getIncludedStructure().get(0).getStructure())).containsExactly(SCT + "|39607008");
        assertThat(codings(groupSites.getIncludedStructure().get(0).getLaterality())).containsExactly(SCT + "|7771000");
        assertThat(groupSites.getIncludedStructure().get(0).getQualifier()).isEmpty();
        assertThat(codings(groupSites.getIncludedStructure().get(1).getStructure())).containsExactly(SCT + "|3120008");
        assertThat(codings(groupSites.getIncludedStructure().get(1).getLaterality())).containsExactly(SCT + "|7771000");
        assertThat(groupSites.getIncludedStructure().get(1).getQualifier()).singleElement()
                .satisfies(q -> assertThat(codings(q)).containsExactly(SCT + "|255549009"));
        assertThat(groupSites.getIdentifier()).extracting(i -> i.getType().getCodingFirstRep().getCode())
                .containsExactly("112039", "112040");
        // two plain sites: Observation.bodySite holds one concept, so a BodyStructure carries both
        Observation length = measurements.get(0);
        assertThat(length.hasBodySite()).isFalse();
        BodyStructure lengthSites = (BodyStructure) resolve(bundle, length.getBodyStructure());
        assertThat(lengthSites.getIncludedStructure()).extracting(s -> codings(s.getStructure()))
                .containsExactly(List.of(SCT + "|10200004"), List.of(SCT + "|28231008"));
        assertThat(lengthSites.getIncludedStructure()).allSatisfy(s -> assertThat(s.hasLaterality()).isFalse());
        // one plain site stays a bodySite (D10)
        Observation diameter = measurements.get(1);
        assertThat(diameter.hasBodyStructure()).isFalse();
        assertThat(codings(diameter.getBodySite())).containsExactly(SCT + "|10200004");
    }

    /** Class 3: SCOORD/SCOORD3D INFERRED FROM a CODE or TEXT evaluation become its ImagingSelections (D25). */
    @Test
    void coordinatesUnderQualitativeEvaluationsAreMapped() throws Exception {
        Bundle bundle = convert("evaluation-coordinates");
        List<Observation> evaluations = withProfile(bundle, Profiles.QUALITATIVE_EVALUATION);
        assertThat(evaluations).hasSize(2);
        Observation severity = evaluations.get(0);
        assertThat(codings(severity.getValueCodeableConcept())).containsExactly(SCT + "|6736007");
        assertThat(severity.getDerivedFrom()).hasSize(1);
        ImagingSelection circle = (ImagingSelection) resolve(bundle, severity.getDerivedFromFirstRep());
        assertThat(circle.getMeta().hasProfile(Profiles.IMAGE_REGION_2D)).isTrue();
        assertThat(circle.getInstanceFirstRep().getUid()).isEqualTo("2.25.10011");
        assertThat(circle.getInstanceFirstRep().getImageRegion2DFirstRep().getRegionType().toCode()).isEqualTo("circle");
        assertThat(circle.getInstanceFirstRep().getImageRegion2DFirstRep().getCoordinate())
                .extracting(DecimalType::getValueAsString).containsExactly("50.0", "50.0", "60.0", "50.0");
        Observation landmark = evaluations.get(1);
        assertThat(landmark.getValueCodeableConcept().getText()).isEqualTo("landmark: carina");
        ImagingSelection point = (ImagingSelection) resolve(bundle, landmark.getDerivedFromFirstRep());
        assertThat(point.getMeta().hasProfile(Profiles.IMAGE_REGION_3D)).isTrue();
        assertThat(point.getFrameOfReferenceUid()).isEqualTo("2.25.10020");
        Extension region = point.getExtensionByUrl(ImagingSelectionMapper.IMAGE_REGION_3D_EXTENSION);
        assertThat(region.getExtensionByUrl("regionType").getValue().primitiveValue()).isEqualTo("point");
        assertThat(region.getExtensionsByUrl("coordinate")).extracting(e -> e.getValue().primitiveValue())
                .containsExactly("10.5", "-20.0", "30.25");
        // the group itself has no region: the evaluations' regions are theirs only
        assertThat(withProfile(bundle, Profiles.MEASUREMENT_GROUP).get(0).hasDerivedFrom()).isFalse();
    }

    /** Class 4: "TID1500" is read as template 1500; the spelling is a tolerated deviation (D1 extended). */
    @Test
    void templateIdentifierWrittenTid1500IsRecognised() throws Exception {
        MeasurementReport report = ProducerFixtures.read("template-tid1500");
        assertThat(report.deviations()).containsExactly(
                new Deviation("1", "Template Identifier written \"TID1500\": read as 1500", "D1"));
        Bundle bundle = new ReportMapper(MappingSettings.defaults()).convert(report);
        assertThat(withProfile(bundle, Profiles.MEASUREMENT)).singleElement()
                .satisfies(o -> assertThat(o.getValueQuantity().getValue()).isEqualByComparingTo("7.5"));
    }

    /** Class 6: SRT codes of a Finding Site and its laterality are translated; an unknown one is reported (D27). */
    @Test
    void legacyCodesOfFindingSitesAreTranslated() throws Exception {
        MeasurementReport report = ProducerFixtures.read("legacy-codes");
        Bundle bundle = new ReportMapper(MappingSettings.defaults()).convert(report);
        Observation group = withProfile(bundle, Profiles.MEASUREMENT_GROUP).get(0);
        BodyStructure site = (BodyStructure) resolve(bundle, group.getBodyStructure());
        assertThat(codings(site.getIncludedStructureFirstRep().getStructure()))
                .containsExactly(SCT + "|39607008", SRT + "|T-28000");
        assertThat(codings(site.getIncludedStructureFirstRep().getLaterality()))
                .containsExactly(SCT + "|7771000", SRT + "|G-A101");
        Observation measurement = withProfile(bundle, Profiles.MEASUREMENT).get(0);
        assertThat(codings(measurement.getCode())).containsExactly(SCT + "|410668003", SRT + "|G-D7FE");
        assertThat(codings(measurement.getBodySite())).containsExactly(SRT + "|T-00317");
        assertThat(ConversionReport.converted(report, List.of(bundle)).deviations()).containsExactly(new Deviation(null,
                "legacy SRT code T-00317 (\"Legacy site\") has no SNOMED CT translation in the D12 table: written "
                        + "with the SRT system only", "D27"));
    }

    /** Class 7: TID 1501 image references, named "Source" or not named, are the group's source images (D28). */
    @Test
    void imageReferencesWithoutAConceptNameAreTheGroupsSourceImages() throws Exception {
        MeasurementReport report = ProducerFixtures.read("source-images");
        assertThat(report.notMapped()).extracting(NotMappedItem::path).containsExactly("1.1");
        Bundle bundle = new ReportMapper(MappingSettings.defaults()).convert(report);
        Observation group = withProfile(bundle, Profiles.MEASUREMENT_GROUP).get(0);
        ImagingSelection groupImages = (ImagingSelection) resolve(bundle, group.getDerivedFromFirstRep());
        assertThat(groupImages.getMeta().getProfile()).isEmpty();
        assertThat(codings(groupImages.getCode())).containsExactly(SCT + "|260753009");
        assertThat(groupImages.getInstance()).extracting(ImagingSelection.ImagingSelectionInstanceComponent::getUid)
                .containsExactly("2.25.10011", "2.25.10012", "2.25.10013");
        assertThat(groupImages.getInstance().get(1).getSubset()).extracting(s -> s.getValue()).containsExactly("2", "3");
        assertThat(groupImages.getInstance()).extracting(i -> i.getSopClass().getCode())
                .containsOnly("1.2.840.10008.5.1.4.1.1.2");
        assertThat(groupImages.getSeriesUid()).isEqualTo("2.25.10002");
        List<Observation> measurements = withProfile(bundle, Profiles.MEASUREMENT);
        // the Length names its own Source of Measurement, which replaces the group's source images
        ImagingSelection lengthImage = (ImagingSelection) resolve(bundle, measurements.get(0).getDerivedFromFirstRep());
        assertThat(measurements.get(0).getDerivedFrom()).hasSize(1);
        assertThat(lengthImage.getInstance()).extracting(ImagingSelection.ImagingSelectionInstanceComponent::getUid)
                .containsExactly("2.25.10012");
        assertThat(measurements.get(1).getDerivedFrom()).extracting(Reference::getReference)
                .containsExactly(group.getDerivedFromFirstRep().getReference());
    }

    /**
     * Class 8: the device observer (D31), the person observer's organization (D32), the time point (D29) and the
     * activity session (D30); dwv's Short label and Color are listed as not mapped.
     */
    @Test
    void observerContextTimePointAndActivitySessionHaveTheirPlaces() throws Exception {
        MeasurementReport report = ProducerFixtures.read("observer-context");
        Bundle bundle = new ReportMapper(MappingSettings.defaults()).convert(report);
        Observation group = withProfile(bundle, Profiles.MEASUREMENT_GROUP).get(0);
        Device observer = (Device) resolve(bundle, group.getDevice());
        assertThat(observer.getMeta().hasProfile(Profiles.PARTICIPANT_DEVICE)).isTrue();
        assertThat(observer.getIdentifierFirstRep().getSystem()).isEqualTo("urn:dicom:uid");
        assertThat(observer.getIdentifierFirstRep().getValue()).isEqualTo("urn:oid:2.25.10040");
        assertThat(observer.getDisplayName()).isEqualTo("LesionFinder");
        assertThat(observer.getManufacturer()).isEqualTo("Example AI Inc.");
        assertThat(observer.getModelNumber()).isEqualTo("LF-2");
        assertThat(observer.getSerialNumber()).isEqualTo("SN-7");
        Observation length = withProfile(bundle, Profiles.MEASUREMENT).get(0);
        assertThat(length.getDevice().getReference()).isEqualTo(group.getDevice().getReference());

        PractitionerRole role = all(bundle, PractitionerRole.class).get(0);
        Organization organization = (Organization) resolve(bundle, role.getOrganization());
        assertThat(organization.getName()).isEqualTo("City Hospital Radiology");
        assertThat(resolve(bundle, role.getPractitioner()).fhirType()).isEqualTo("Practitioner");
        assertThat(codings(role.getCodeFirstRep())).containsExactly(SCT + "|309343006");
        assertThat(group.getPerformer()).extracting(Reference::getReference)
                .containsExactly(bundle.getEntry().get(2).getFullUrl(), bundle.getEntry().get(4).getFullUrl());

        assertThat(group.getComponent()).extracting(c -> c.getCode().getCodingFirstRep().getCode())
                .containsExactly("C67447", "C2348792", "126072", "126073");
        assertThat(group.getComponent().get(0).getValueStringType().getValue()).isEqualTo("2");
        assertThat(group.getComponent().get(1).getValueStringType().getValue()).isEqualTo("T1");
        assertThat(codings(group.getComponent().get(2).getValueCodeableConcept()))
                .containsExactly(Profiles.DCM + "|126074");
        Quantity order = group.getComponent().get(3).getValueQuantity();
        assertThat(order.getValue()).isEqualByComparingTo("2");
        assertThat(order.getCode()).isEqualTo("1");

        assertThat(report.notMapped()).extracting(i -> i.concept().meaning(), NotMappedItem::reason).containsExactly(
                tuple("Language of Content Item and Descendants", "Language of Content "
                        + "Item and Descendants: FHIR resources carry no language per item (the IG maps none)"),
                tuple("Short label",
                        "a viewer's display attribute (label or colour of the annotation), not clinical content"),
                tuple("Color",
                        "a viewer's display attribute (label or colour of the annotation), not clinical content"));
    }

    /** Units decision D33: {SUVbw}g/ml is written as the UCUM {SUVbw}.g/ml, DICOM's code kept in an extension. */
    @Test
    void suvUnitIsValidUcumWithDicomsCodeBeside() {
        Quantity quantity = new CodingSchemes(Map.of()).quantity(new BigDecimal("6.01529"),
                CodedConcept.of("UCUM", "{SUVbw}g/ml", "Standardized Uptake Value body weight"));
        assertThat(quantity.getSystem()).isEqualTo(CodingSchemes.UCUM);
        assertThat(quantity.getCode()).isEqualTo("{SUVbw}.g/ml");
        assertThat(quantity.getUnit()).isEqualTo("Standardized Uptake Value body weight");
        assertThat(quantity.getExtensionByUrl(CodingSchemes.DICOM_UNIT_CODE).getValue().primitiveValue())
                .isEqualTo("{SUVbw}g/ml");
        Quantity mm = new CodingSchemes(Map.of()).quantity(BigDecimal.ONE, CodedConcept.of("UCUM", "mm", "millimeter"));
        assertThat(mm.hasExtension()).isFalse();
    }
}
