package org.sr2fhir.fhir;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Device;
import org.hl7.fhir.r5.model.DiagnosticReport;
import org.hl7.fhir.r5.model.ImagingSelection;
import org.hl7.fhir.r5.model.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.sr.ReferencedSop;
import org.sr2fhir.sr.SrDocumentHeader;
import org.sr2fhir.tid1500.MeasurementReport;
import org.sr2fhir.tid1500.TestReports;
import org.sr2fhir.tid1500.TestReports.Header;
import org.sr2fhir.tid1500.TestReports.Node;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sr2fhir.fhir.BundleEntries.all;
import static org.sr2fhir.fhir.BundleEntries.resolve;
import static org.sr2fhir.fhir.BundleEntries.withProfile;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sr2fhir.sr.RelationshipType.CONTAINS;
import static org.sr2fhir.sr.RelationshipType.HAS_CONCEPT_MOD;
import static org.sr2fhir.sr.RelationshipType.HAS_OBS_CONTEXT;
import static org.sr2fhir.sr.RelationshipType.SELECTED_FROM;
import static org.sr2fhir.tid1500.TestReports.algorithm;
import static org.sr2fhir.tid1500.TestReports.c;
import static org.sr2fhir.tid1500.TestReports.code;
import static org.sr2fhir.tid1500.TestReports.composite;
import static org.sr2fhir.tid1500.TestReports.container;
import static org.sr2fhir.tid1500.TestReports.group;
import static org.sr2fhir.tid1500.TestReports.image;
import static org.sr2fhir.tid1500.TestReports.measurementReport;
import static org.sr2fhir.tid1500.TestReports.num;
import static org.sr2fhir.tid1500.TestReports.numWithQualifier;
import static org.sr2fhir.tid1500.TestReports.scoord;
import static org.sr2fhir.tid1500.TestReports.scoord3d;
import static org.sr2fhir.tid1500.TestReports.text;
import static org.sr2fhir.tid1500.TestReports.uidref;
import static org.sr2fhir.tid1500.TestReports.volume;

/** Table-driven checks of decisions D3–D20 on hand-built reports, for the cases the corpus does not exercise. */
class MappingDecisionsTest {
    private static final MappingSettings DEFAULTS = MappingSettings.defaults();
    private static final ReferencedSop CT = ReferencedSop.of("1.2.840.10008.5.1.4.1.1.2", "2.25.7");

    private static MappingSettings settings(boolean createMissing, MappingSettings.IdStrategy ids,
                                            Map<String, String> issuers, Map<String, String> schemes,
                                            boolean report, int max, ZoneId zone) {
        return new MappingSettings(zone, createMissing, ids, issuers, DEFAULTS.defaultPatientSystem(),
                DEFAULTS.defaultAccessionSystem(), schemes, report, max);
    }

    private static Bundle convert(Header header, Node root, MappingSettings settings) throws InputRejectedException {
        return new ReportMapper(settings).convert(TestReports.report(header, root));
    }

    private static Bundle convert(Node root) throws InputRejectedException {
        return convert(Header.defaults(), root, DEFAULTS);
    }

    private static String json(Bundle bundle) {
        return FhirContext.forR5Cached().newJsonParser().encodeResourceToString(bundle);
    }

    @Test
    void d3MissingPatientIdIsRejectedWithTheRejectPolicy() {
        assertThatThrownBy(() -> convert(Header.defaults().patient(null, null, null), measurementReport(group(volume("1"))),
                DEFAULTS.withMissingPatientId(MappingSettings.MissingPatientId.REJECT)))
                .isInstanceOf(InputRejectedException.class)
                .extracting(e -> ((InputRejectedException) e).reason())
                .isEqualTo("no Patient ID (0010,0020), cannot link the subject (sr2fhir.linking.missing-patient-id is "
                        + "reject)");
    }

    @Test
    void d3ConditionalReferencesCarryTypedIdentifiers() throws Exception {
        Observation group = withProfile(convert(measurementReport(group(volume("1")))), Profiles.MEASUREMENT_GROUP).get(0);
        assertThat(group.getSubject().getReference()).isEqualTo("Patient?identifier=urn:sr2fhir:patient-id|PID-1");
        assertThat(group.getPartOfFirstRep().getReference())
                .isEqualTo("ImagingStudy?identifier=urn:dicom:uid|urn:oid:2.25.2000");
        assertThat(group.getPartOfFirstRep().getIdentifier().getType().getCodingFirstRep().getCode()).isEqualTo("110180");
        assertThat(group.getBasedOnFirstRep().getReference()).isEqualTo("ServiceRequest?identifier=urn:sr2fhir:accession|ACC-1");
        assertThat(group.getBasedOnFirstRep().getIdentifier().getType().getCodingFirstRep().getCode()).isEqualTo("ACSN");

        Observation noAccession = withProfile(convert(Header.defaults().accession(null),
                measurementReport(group(volume("1"))), DEFAULTS), Profiles.MEASUREMENT_GROUP).get(0);
        assertThat(noAccession.hasBasedOn()).isFalse();
    }

    @Test
    void d3CreateMissingAddsConditionalCreatesReferencedByUrnUuid() throws Exception {
        Bundle bundle = convert(Header.defaults(), measurementReport(group(volume("1"))),
                settings(true, MappingSettings.IdStrategy.DETERMINISTIC, Map.of(), Map.of(), true, 0, ZoneId.of("UTC")));
        List<Bundle.BundleEntryComponent> created = bundle.getEntry().stream()
                .filter(e -> List.of("Patient", "ImagingStudy", "ServiceRequest").contains(e.getResource().fhirType()))
                .toList();
        assertThat(created).extracting(e -> e.getRequest().getMethod()).containsOnly(Bundle.HTTPVerb.POST);
        assertThat(created).extracting(e -> e.getRequest().getIfNoneExist()).containsExactly(
                "identifier=urn:sr2fhir:patient-id|PID-1", "identifier=urn:dicom:uid|urn:oid:2.25.2000",
                "identifier=urn:sr2fhir:accession|ACC-1");
        Observation group = withProfile(bundle, Profiles.MEASUREMENT_GROUP).get(0);
        assertThat(group.getSubject().getReference()).isEqualTo(created.get(0).getFullUrl()).startsWith("urn:uuid:");
    }

    @ParameterizedTest(name = "{0}/{1}/{2} -> {3}")
    @CsvSource(delimiter = ';', nullValues = "-", value = {
            "1.2.3.4; ISO; -; urn:oid:1.2.3.4",
            "https://hospital.example/mrn; URI; -; https://hospital.example/mrn",
            "hospital.example; URI; HOSP; urn:hosp:mrn",
            "-; -; HOSP; urn:hosp:mrn",
            "-; -; OTHER; urn:sr2fhir:patient-id"})
    void d4PatientIdentifierSystem(String universalId, String type, String issuer, String system) throws Exception {
        SrDocumentHeader.Issuer qualifiers = universalId == null ? null
                : new SrDocumentHeader.Issuer(null, universalId, type);
        Bundle bundle = convert(Header.defaults().patient("PID-9", qualifiers, issuer),
                measurementReport(group(volume("1"))), settings(false, MappingSettings.IdStrategy.DETERMINISTIC,
                        Map.of("HOSP", "urn:hosp:mrn"), Map.of(), true, 0, ZoneId.of("UTC")));
        Observation group = withProfile(bundle, Profiles.MEASUREMENT_GROUP).get(0);
        assertThat(group.getSubject().getIdentifier().getSystem()).isEqualTo(system);
        assertThat(group.getSubject().getReference()).isEqualTo("Patient?identifier=" + system + "|PID-9");
    }

    @Test
    void d5DeterministicIdsAndPutOrConditionalCreate() throws Exception {
        Node root = measurementReport(group(volume("1"), algorithm("a", "1")), group(volume("2")));
        Bundle first = convert(root);
        Bundle second = convert(root);
        assertThat(json(first)).isEqualTo(json(second));
        for (Bundle.BundleEntryComponent entry : first.getEntry()) {
            String id = entry.getResource().getIdElement().getIdPart();
            assertThat(id).matches("[a-z][a-z-]*-[0-9a-f]{24}").hasSizeLessThanOrEqualTo(64);
            assertThat(entry.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PUT);
            assertThat(entry.getRequest().getUrl()).isEqualTo(entry.getResource().fhirType() + "/" + id);
        }
        Bundle conditional = convert(Header.defaults(), root, settings(false,
                MappingSettings.IdStrategy.CONDITIONAL_CREATE, Map.of(), Map.of(), true, 0, ZoneId.of("UTC")));
        for (Bundle.BundleEntryComponent entry : conditional.getEntry()) {
            assertThat(entry.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.POST);
            assertThat(entry.getRequest().getIfNoneExist()).startsWith("identifier=");
            assertThat(entry.getResource().hasId()).isFalse();
        }
        // the equipment's Device UID is its natural key (dicom-general-equipment allows one identifier)
        assertThat(conditional.getEntryFirstRep().getRequest().getIfNoneExist())
                .isEqualTo("identifier=urn:dicom:uid|urn:oid:2.25.9000");
    }

    @Test
    void d6AssemblyIgnoresGroupOrderAndPartsSplitAtGroupBoundaries() throws Exception {
        Node root = measurementReport(group(volume("1"), volume("2")), group(volume("3")), group(volume("4"), volume("5")));
        MeasurementReport report = TestReports.report(root);
        ReportMapper mapper = new ReportMapper(settings(false, MappingSettings.IdStrategy.DETERMINISTIC, Map.of(),
                Map.of(), true, 5, ZoneId.of("UTC")));
        ReportContext context = mapper.context(report);
        List<GroupResources> groups = new ArrayList<>(report.measurementGroups().stream()
                .map(g -> mapper.mapGroup(context, g)).toList());
        String inOrder = json(mapper.assemble(context, groups));
        Collections.reverse(groups);
        assertThat(json(mapper.assemble(context, groups))).isEqualTo(inOrder).isEqualTo(json(mapper.convert(report)));

        List<Bundle> parts = mapper.assembleParts(context, groups);
        assertThat(parts).hasSizeGreaterThan(1);
        assertThat(parts).allSatisfy(p -> assertThat(p.getEntry()).hasSizeLessThanOrEqualTo(5));
        assertThat(parts.stream().mapToInt(p -> p.getEntry().size()).sum())
                .isEqualTo(mapper.assemble(context, groups).getEntry().size());
        // a later part reaches resources of an earlier one by their committed id
        DiagnosticReport dr = all(parts.get(parts.size() - 1), DiagnosticReport.class).get(0);
        assertThat(dr.getResult()).allSatisfy(r -> assertThat(r.getReference()).startsWith("Observation/group-"));
        Observation firstGroup = withProfile(parts.get(0), Profiles.MEASUREMENT_GROUP).get(0);
        assertThat(firstGroup.getDevice().getReference()).startsWith("urn:uuid:");
    }

    @ParameterizedTest(name = "preliminary={0} completion={1} verification={2} -> {3}")
    @CsvSource(nullValues = "-", value = {
            "PRELIMINARY, COMPLETE, VERIFIED, preliminary",
            "FINAL, PARTIAL, UNVERIFIED, final",
            "-, COMPLETE, VERIFIED, final",
            "-, COMPLETE, UNVERIFIED, final",
            "-, PARTIAL, VERIFIED, final",
            "-, PARTIAL, UNVERIFIED, preliminary",
            "-, -, -, preliminary"})
    void d7Status(String preliminary, String completion, String verification, String status) throws Exception {
        Bundle bundle = convert(Header.defaults().flags(completion, verification, preliminary),
                measurementReport(group(volume("1"))), DEFAULTS);
        assertThat(all(bundle, Observation.class)).extracting(o -> o.getStatus().toCode()).containsOnly(status);
        assertThat(all(bundle, ImagingSelection.class)).allSatisfy(s -> assertThat(s.getStatus().toCode()).isEqualTo("available"));
    }

    @Test
    void d8IssuedFromContentDateTimeEffectiveFromNearestObservationDateTime() throws Exception {
        Node root = measurementReport(group(volume("1"), volume("2").at("20240101235959+0100")).at("20231231100000"));
        Bundle bundle = convert(Header.defaults().content("20240102", "030405.25", "+0200"), root, DEFAULTS);
        List<Observation> measurements = withProfile(bundle, Profiles.MEASUREMENT);
        assertThat(measurements.get(0).getIssuedElement().getValueAsString()).isEqualTo("2024-01-02T03:04:05.25+02:00");
        // inherited from the group (no offset of its own → Timezone Offset From UTC)
        assertThat(measurements.get(0).getEffectiveDateTimeType().getValueAsString()).isEqualTo("2023-12-31T10:00:00+02:00");
        assertThat(measurements.get(1).getEffectiveDateTimeType().getValueAsString()).isEqualTo("2024-01-01T23:59:59+01:00");

        Bundle berlin = convert(Header.defaults(), measurementReport(group(volume("1"))), settings(false,
                MappingSettings.IdStrategy.DETERMINISTIC, Map.of(), Map.of(), true, 0, ZoneId.of("Europe/Berlin")));
        assertThat(withProfile(berlin, Profiles.MEASUREMENT).get(0).getIssuedElement().getValueAsString())
                .isEqualTo("2024-01-02T03:04:05+01:00");
    }

    @Test
    void d9DeviceChainAndOneDevicePerDistinctAlgorithm() throws Exception {
        Node containerAlgorithm = algorithm("container-algo", "1");
        Node root = measurementReport(
                group(volume("1").with(algorithm("own", "1")), volume("2"), algorithm("group-algo", "1")),
                group(volume("3"), volume("4").with(algorithm("own", "1"))),
                containerAlgorithm);
        Bundle bundle = convert(root);
        List<Observation> m = withProfile(bundle, Profiles.MEASUREMENT);
        assertThat(m).extracting(o -> ((Device) resolve(bundle, o.getDevice())).getDisplayName())
                .containsExactly("own", "group-algo", "container-algo", "own");
        assertThat(all(bundle, Device.class).stream().filter(d -> d.getMeta().hasProfile(Profiles.ALGORITHM)))
                .extracting(Device::getDisplayName).containsExactlyInAnyOrder("own", "group-algo", "container-algo");
        assertThat(all(bundle, Device.class).stream().filter(d -> d.getMeta().hasProfile(Profiles.ALGORITHM)))
                .allSatisfy(d -> assertThat(resolve(bundle, d.getParent()).getMeta().hasProfile(Profiles.GENERAL_EQUIPMENT)).isTrue());

        SrDocumentHeader.Participant device = new SrDocumentHeader.Participant("SOURCE", null, "DEV", null, "2.25.4242",
                "Vendor", "CAD", null);
        Bundle withParticipant = convert(Header.defaults().participants(List.of(device)),
                measurementReport(group(volume("1"))), DEFAULTS);
        Device used = (Device) resolve(withParticipant, withProfile(withParticipant, Profiles.MEASUREMENT).get(0).getDevice());
        assertThat(used.getMeta().hasProfile(Profiles.PARTICIPANT_DEVICE)).isTrue();
        assertThat(used.getIdentifierFirstRep().getValue()).isEqualTo("urn:oid:2.25.4242");
    }

    @Test
    void participantsBecomePerformersAndTheEquipmentIsNotRepeated() throws Exception {
        SrDocumentHeader.Participant person = new SrDocumentHeader.Participant("ATTEST", null, "PSN",
                org.sr2fhir.dicom.PersonName.parse("Smith^Anna^B^Dr^MD"), null, null, null, null);
        SrDocumentHeader.Participant equipment = new SrDocumentHeader.Participant("SOURCE", null, "DEV", null,
                "2.25.9000", "ACME", "Measurer", null);
        Bundle bundle = convert(Header.defaults().participants(List.of(person, equipment)),
                measurementReport(group(volume("1"))), DEFAULTS);
        assertThat(all(bundle, Device.class)).extracting(d -> d.getMeta().getProfile().get(0).getValue())
                .containsExactly(Profiles.GENERAL_EQUIPMENT);
        List<org.hl7.fhir.r5.model.Practitioner> practitioners = all(bundle, org.hl7.fhir.r5.model.Practitioner.class);
        assertThat(practitioners).extracting(p -> p.getNameFirstRep().getFamily()).containsExactly("Smith", "RADIOLOGIST");
        assertThat(practitioners.get(0).getNameFirstRep().getGiven()).extracting(g -> g.getValue()).containsExactly("Anna", "B");
        assertThat(practitioners.get(0).getNameFirstRep().getPrefixAsSingleString()).isEqualTo("Dr");
        assertThat(withProfile(bundle, Profiles.MEASUREMENT).get(0).getPerformer()).hasSize(2);
    }

    @Test
    void d9DerivedMeasurementsSkipTheParticipantDevice() throws Exception {
        SrDocumentHeader.Participant device = new SrDocumentHeader.Participant("SOURCE", null, "DEV", null, "2.25.4242",
                "Vendor", "CAD", null);
        Node derived = container(CONTAINS, c("DCM", "126011", "Derived Imaging Measurements"), null)
                .with(num(c("DCM", "126031", "Peak Value Within ROI"), "1", c("UCUM", "1", "no units"))
                        .with(group(volume("2"))));
        Bundle bundle = convert(Header.defaults().participants(List.of(device)),
                measurementReport(group(volume("1"))).with(derived), DEFAULTS);
        Observation d = withProfile(bundle, Profiles.DERIVED_MEASUREMENT).get(0);
        assertThat(resolve(bundle, d.getDevice()).getMeta().hasProfile(Profiles.GENERAL_EQUIPMENT)).isTrue();
        assertThat(d.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("126011");
        assertThat(d.getDerivedFrom()).singleElement().satisfies(r ->
                assertThat(resolve(bundle, r).getMeta().hasProfile(Profiles.MEASUREMENT_GROUP)).isTrue());
        assertThat(all(bundle, DiagnosticReport.class).get(0).getResult()).hasSize(2);
    }

    @Test
    void d10FindingSiteAsBodySiteOrBodyStructure() throws Exception {
        Node site = code(HAS_CONCEPT_MOD, c("SCT", "363698007", "Finding Site"), c("SCT", "10200004", "Liver"));
        Node tracking = text(HAS_OBS_CONTEXT, c("DCM", "112039", "Tracking Identifier"), "T1");
        Node lateral = code(HAS_CONCEPT_MOD, c("SCT", "363698007", "Finding Site"), c("SCT", "39607008", "Lung"))
                .with(code(HAS_CONCEPT_MOD, c("SCT", "272741003", "Laterality"), c("SCT", "7771000", "Left")));
        Bundle bundle = convert(measurementReport(
                group(site, volume("1")),
                group(tracking, volume("2")),
                group(lateral, volume("3").with(code(HAS_CONCEPT_MOD, c("SCT", "363698007", "Finding Site"),
                        c("SCT", "3341006", "Right lung"))))));
        List<Observation> groups = withProfile(bundle, Profiles.MEASUREMENT_GROUP);
        List<Observation> members = withProfile(bundle, Profiles.MEASUREMENT);
        assertThat(groups.get(0).getBodySite().getCodingFirstRep().getCode()).isEqualTo("10200004");
        assertThat(members.get(0).getBodySite().getCodingFirstRep().getCode()).isEqualTo("10200004");
        assertThat(groups.get(0).hasBodyStructure()).isFalse();
        // tracking id without site: no BodyStructure (structure is 1..1), the id still identifies the group
        assertThat(groups.get(1).hasBodySite() || groups.get(1).hasBodyStructure()).isFalse();
        assertThat(groups.get(1).getIdentifier()).extracting(i -> i.getValue()).containsExactly("T1");
        org.hl7.fhir.r5.model.BodyStructure body =
                (org.hl7.fhir.r5.model.BodyStructure) resolve(bundle, groups.get(2).getBodyStructure());
        assertThat(body.getIncludedStructureFirstRep().getLaterality().getCodingFirstRep().getCode()).isEqualTo("7771000");
        // a member's own plain site replaces the group's
        assertThat(members.get(2).getBodySite().getCodingFirstRep().getCode()).isEqualTo("3341006");
        assertThat(members.get(2).hasBodyStructure()).isFalse();
    }

    @Test
    void d12CodingSchemes() throws Exception {
        org.sr2fhir.sr.CodedConcept privateCode = new org.sr2fhir.sr.CodedConcept("X1", null, null, "99PRIV", null,
                "Private", "1.2.3.99");
        Bundle bundle = convert(Header.defaults(), measurementReport(group(
                code(CONTAINS, c("SRT", "M-01000", "Morphologically Altered Structure"), c("SRT", "G-A186", "Marked")),
                code(CONTAINS, c("99LOCAL", "L1", "Local concept"), privateCode),
                code(CONTAINS, c("RADLEX", "RID1", "Radlex thing"), c("LN", "1-8", "Loinc thing")))),
                settings(false, MappingSettings.IdStrategy.DETERMINISTIC, Map.of(), Map.of("99LOCAL", "https://local.example/cs"),
                        true, 0, ZoneId.of("UTC")));
        List<Observation> evaluations = withProfile(bundle, Profiles.QUALITATIVE_EVALUATION);
        assertThat(evaluations.get(0).getCode().getCoding()).extracting(cd -> cd.getSystem() + "|" + cd.getCode())
                .containsExactly("http://snomed.info/sct|" + org.sr2fhir.tid1500.LegacyCodes.sctForSrt("M-01000"),
                        "http://snomed.info/srt|M-01000");
        assertThat(evaluations.get(1).getCode().getCodingFirstRep().getSystem()).isEqualTo("https://local.example/cs");
        assertThat(evaluations.get(1).getValueCodeableConcept().getCodingFirstRep().getSystem()).isEqualTo("urn:oid:1.2.3.99");
        assertThat(evaluations.get(2).getCode().getCodingFirstRep().getSystem()).isEqualTo("http://radlex.org");
        assertThat(evaluations.get(2).getValueCodeableConcept().getCodingFirstRep().getSystem()).isEqualTo("http://loinc.org");
    }

    @Test
    void d13NumbersExactUnitsUcumAndNoMadeUpValues() throws Exception {
        Bundle bundle = convert(measurementReport(group(volume("3.111220E+04"),
                numWithQualifier(c("DCM", "121206", "Distance"), c("DCM", "114000", "Not a number")),
                num(c("DCM", "126401", "SUVbw"), "2.5", c("UCUM", "{SUVbw}g/ml", "SUV body weight")),
                num(c("SCT", "1", "Count"), "7", c("99UNIT", "cells", "cells")))));
        List<Observation> observations = all(bundle, Observation.class);
        assertThat(json(bundle)).contains("\"value\":31112.20");
        Observation absent = observations.stream().filter(Observation::hasDataAbsentReason).findFirst().orElseThrow();
        assertThat(absent.hasValue()).isFalse();
        assertThat(absent.getDataAbsentReason().getCoding()).extracting(cd -> cd.getCode()).contains("114000");
        assertThat(absent.getMeta().getProfile()).isEmpty();
        Observation suv = withProfile(bundle, Profiles.MEASUREMENT).get(1);
        assertThat(suv.getValueQuantity().getCode()).isEqualTo("{SUVbw}.g/ml");
        assertThat(suv.getValueQuantity().getUnit()).isEqualTo("SUV body weight");
        assertThat(withProfile(bundle, Profiles.MEASUREMENT).get(2).getValueQuantity().getSystem()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1E999999999 |     | unsupported       | decimal exponent 999999999",
        "1E-400      |     | unsupported       | decimal exponent -400",
        "1.23456789012345678901 | | unsupported | 21 significant digits",
        "            | NaN | not-a-number      | Floating Point Value NaN",
        "            | -Infinity | negative-infinity | Floating Point Value -Infinity"})
    void d45NumbersNoServerHoldsAreNeverSent(String decimal, Double floating, String absentCode, String reason)
            throws Exception {
        Node measurement = num(c("DCM", "121206", "Distance"),
                decimal == null ? null : new java.math.BigDecimal(decimal), floating, c("UCUM", "mm", "mm"));
        MeasurementReport report = TestReports.report(measurementReport(group(measurement, volume("2.5"))));
        Bundle bundle = new ReportMapper(DEFAULTS).convert(report);
        Observation unsent = all(bundle, Observation.class).stream()
                .filter(o -> o.getCode().getCodingFirstRep().getCode().equals("121206")).findFirst().orElseThrow();
        assertThat(unsent.hasValue()).isFalse();
        assertThat(unsent.getDataAbsentReason().getCodingFirstRep().getCode()).isEqualTo(absentCode);
        assertThat(unsent.getDataAbsentReason().getText()).contains(reason);
        assertThat(report.deviations()).anyMatch(d -> "D45".equals(d.decision()) && d.description().contains(reason));
        // the other measurement of the group is sent as written
        assertThat(withProfile(bundle, Profiles.MEASUREMENT)).anyMatch(o -> o.hasValueQuantity());
    }

    @Test
    void d14UidsInIdentifiersAndSelections() throws Exception {
        Bundle bundle = convert(measurementReport(group(volume("1").uid("2.25.55"),
                image(CONTAINS, c("DCM", "121200", "Illustration of ROI"), CT))));
        Observation volume = withProfile(bundle, Profiles.MEASUREMENT).get(0);
        assertThat(volume.getIdentifierFirstRep().getSystem()).isEqualTo("urn:dicom:uid");
        assertThat(volume.getIdentifierFirstRep().getValue()).isEqualTo("urn:oid:2.25.55");
        ImagingSelection source = (ImagingSelection) volume.getDerivedFrom().stream().map(r -> resolve(bundle, r))
                .filter(r -> r.getMeta().hasProfile(Profiles.SOURCE_SR_CONTENT_ITEM)).findFirst().orElseThrow();
        assertThat(source.getInstanceFirstRep().getUid()).isEqualTo(TestReports.SOP_UID);
        assertThat(source.getInstanceFirstRep().getSubset()).extracting(s -> s.getValue()).containsExactly("2.25.55");
        ImagingSelection illustration = all(bundle, ImagingSelection.class).stream()
                .filter(s -> s.getMeta().hasProfile(Profiles.ILLUSTRATION_OF_ROI)).findFirst().orElseThrow();
        assertThat(illustration.getInstanceFirstRep().getUid()).isEqualTo("2.25.7");
        assertThat(illustration.getInstanceFirstRep().getSopClass().getSystem()).isEqualTo(Profiles.SOP_CLASS_SYSTEM);
        assertThat(illustration.getInstanceFirstRep().getSopClass().getCode()).isEqualTo("1.2.840.10008.5.1.4.1.1.2");
        assertThat(illustration.getInstanceFirstRep().getSopClass().getDisplay()).isEqualTo("CT Image Storage");
    }

    @Test
    void d15RegionInSpaceUsesTheCorrectRtStructureSetUid() throws Exception {
        Bundle bundle = convert(measurementReport(group(volume("1"),
                composite(CONTAINS, c("DCM", "130488", "Region In Space"),
                        ReferencedSop.of("1.2.840.10008.5.1.4.1.1.481.3", "2.25.31"))
                        .with(text(HAS_CONCEPT_MOD, c("DCM", "130489", "Content ROI Identification"), "ROI-7")))));
        ImagingSelection region = all(bundle, ImagingSelection.class).get(0);
        assertThat(region.getMeta().hasProfile(Profiles.REGION_IN_SPACE)).isTrue();
        assertThat(region.getInstanceFirstRep().getSopClass().getCode()).isEqualTo("1.2.840.10008.5.1.4.1.1.481.3");
        assertThat(region.getInstanceFirstRep().getSubset()).extracting(s -> s.getValue()).containsExactly("ROI-7");
    }

    @Test
    void d17PlanarRegions() throws Exception {
        ReferencedSop multiframe = new ReferencedSop("1.2.840.10008.5.1.4.1.1.2.1", "2.25.8", List.of(4), null, null);
        Bundle bundle = convert(measurementReport(group(volume("1"),
                scoord(CONTAINS, c("DCM", "111030", "Image Region"), "MULTIPOINT", "1.5", "2", "3", "4.25")
                        .with(image(SELECTED_FROM, null, multiframe)),
                scoord(CONTAINS, c("DCM", "111030", "Image Region"), "CIRCLE", "10", "10", "12", "10")
                        .with(image(SELECTED_FROM, null, CT)))));
        List<ImagingSelection> selections = all(bundle, ImagingSelection.class);
        assertThat(selections).singleElement();
        List<ImagingSelection.ImagingSelectionInstanceComponent> instances = selections.get(0).getInstance();
        assertThat(instances).extracting(i -> i.getImageRegion2DFirstRep().getRegionType().toCode())
                .containsExactly("point", "point", "circle");
        assertThat(instances.get(0).getImageRegion2DFirstRep().getCoordinate()).extracting(d -> d.getValue().toPlainString())
                .containsExactly("1.5", "2");
        assertThat(instances.get(1).getSubset()).extracting(s -> s.getValue()).containsExactly("4");
        assertThat(instances.get(2).getUid()).isEqualTo("2.25.7");
    }

    @Test
    void d18VolumetricRegionsKeepFrameOfReferenceAndCoordinates() throws Exception {
        Bundle bundle = convert(measurementReport(group(volume("1"),
                scoord3d(CONTAINS, c("DCM", "111030", "Image Region"), "POLYGON", "2.25.600", "1", "2", "3", "4", "5", "6",
                        "1", "2", "3"))));
        ImagingSelection region = all(bundle, ImagingSelection.class).get(0);
        assertThat(region.getMeta().hasProfile(Profiles.IMAGE_REGION_3D)).isTrue();
        assertThat(region.getFrameOfReferenceUid()).isEqualTo("2.25.600");
        org.hl7.fhir.r5.model.Extension extension = region.getExtensionByUrl(ImagingSelectionMapper.IMAGE_REGION_3D_EXTENSION);
        assertThat(extension.getExtensionString("regionType")).isEqualTo("polygon");
        assertThat(extension.getExtensionsByUrl("coordinate")).hasSize(9);
    }

    @Test
    void d19OneInstancePerSegmentNumberInOneSelection() throws Exception {
        ReferencedSop seg = new ReferencedSop("1.2.840.10008.5.1.4.1.1.66.4", "2.25.5", null, List.of(1, 2), null);
        Bundle bundle = convert(measurementReport(group(volume("1"),
                image(CONTAINS, c("DCM", "121191", "Referenced Segment"), seg),
                uidref(CONTAINS, c("DCM", "121232", "Source series for segmentation"), "2.25.6"),
                image(CONTAINS, c("DCM", "121233", "Source image for segmentation"), CT))));
        List<ImagingSelection> segments = all(bundle, ImagingSelection.class).stream()
                .filter(s -> s.getMeta().hasProfile(Profiles.REFERENCED_SEGMENT)).toList();
        assertThat(segments).hasSize(1);
        ImagingSelection segment = segments.get(0);
        assertThat(segment.getInstance()).allSatisfy(i -> {
            assertThat(i.getUid()).isEqualTo("2.25.5");
            assertThat(i.getSubset()).hasSize(1);
        });
        assertThat(segment.getInstance()).extracting(i -> i.getSubset().get(0).getValue()).containsExactly("1", "2");
        assertThat(segment.getSeriesUid()).isEqualTo("2.25.6");
        assertThat(resolve(bundle, segment.getFocusFirstRep()).getMeta()
                .hasProfile(Profiles.SOURCE_IMAGE_FOR_SEGMENTATION)).isTrue();
        // the derivedFrom:referencedSegment slice holds at most one selection
        assertThat(all(bundle, Observation.class)).allSatisfy(o -> assertThat(o.getDerivedFrom().stream()
                .filter(r -> resolve(bundle, r) instanceof ImagingSelection s
                        && s.getMeta().hasProfile(Profiles.REFERENCED_SEGMENT))).hasSizeLessThanOrEqualTo(1));
    }

    @Test
    void d20DiagnosticReportIsConfigurable() throws Exception {
        Node root = measurementReport(group(volume("1")));
        DiagnosticReport report = all(convert(root), DiagnosticReport.class).get(0);
        assertThat(report.getIdentifierFirstRep().getValue()).isEqualTo("urn:oid:" + TestReports.SOP_UID);
        assertThat(report.getCode().getCodingFirstRep().getCode()).isEqualTo("126000");
        assertThat(report.getStudyFirstRep().getReference()).startsWith("ImagingStudy?");
        assertThat(all(convert(Header.defaults(), root, settings(false, MappingSettings.IdStrategy.DETERMINISTIC,
                Map.of(), Map.of(), false, 0, ZoneId.of("UTC"))), DiagnosticReport.class)).isEmpty();
    }
}
