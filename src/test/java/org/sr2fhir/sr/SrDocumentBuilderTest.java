package org.sr2fhir.sr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sr2fhir.sr.Datasets.code;
import static org.sr2fhir.sr.Datasets.dataset;
import static org.sr2fhir.sr.Datasets.document;
import static org.sr2fhir.sr.Datasets.item;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sr2fhir.dicom.Tag;
import org.sr2fhir.dicom.VR;

class SrDocumentBuilderTest {
    private static final String CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2";

    private final SrDocumentBuilder builder = new SrDocumentBuilder();

    @Test
    void readsEveryValueTypeWithPositions() throws Exception {
        Datasets root = document(
                item("HAS CONCEPT MOD", "CODE", "121049", "Language of Content Item and Descendants")
                        .seq(Tag.ConceptCodeSequence, code("RFC5646", "en-US", "English (United States)")),
                item("CONTAINS", "CONTAINER", "126010", "Imaging Measurements")
                        .str(Tag.ContinuityOfContent, VR.CS, "SEPARATE")
                        .seq(Tag.ContentTemplateSequence, dataset().str(Tag.MappingResource, VR.CS, "DCMR")
                                .str(Tag.TemplateIdentifier, VR.CS, "1411"))
                        .seq(Tag.ContentSequence,
                                item("CONTAINS", "NUM", "G-D705", "Volume")
                                        .str(Tag.ObservationUID, VR.UI, "1.2.3.9")
                                        .seq(Tag.MeasuredValueSequence, dataset()
                                                .str(Tag.NumericValue, VR.DS, "3.111220E+04")
                                                .doubles(Tag.FloatingPointValue, VR.FD, 31112.2)
                                                .longs(Tag.RationalNumeratorValue, VR.SL, 311122)
                                                .longs(Tag.RationalDenominatorValue, VR.UL, 10)
                                                .seq(Tag.MeasurementUnitsCodeSequence,
                                                        code("UCUM", "mm3", "cubic millimeter"))),
                                item("CONTAINS", "NUM", "121401", "Derived").seq(Tag.MeasuredValueSequence)
                                        .seq(Tag.NumericValueQualifierCodeSequence,
                                                code("DCM", "114006", "Measurement failure")),
                                item("INFERRED FROM", "SCOORD", "111030", "Image Region")
                                        .str(Tag.GraphicType, VR.CS, "POLYLINE")
                                        .doubles(Tag.GraphicData, VR.FL, (float) 0.1, 12.5, (float) 1e-7, 3)
                                        .seq(Tag.ContentSequence, item("SELECTED FROM", "IMAGE", "111040", "Source")
                                                .seq(Tag.ReferencedSOPSequence, dataset()
                                                        .str(Tag.ReferencedSOPClassUID, VR.UI, CT_IMAGE)
                                                        .str(Tag.ReferencedSOPInstanceUID, VR.UI, "1.2.3.5")
                                                        .str(Tag.ReferencedFrameNumber, VR.IS, "1", "3")
                                                        .longs(Tag.ReferencedSegmentNumber, VR.US, 2))),
                                item("CONTAINS", "SCOORD3D", "111030", "Image Region")
                                        .str(Tag.GraphicType, VR.CS, "POINT").doubles(Tag.GraphicData, VR.FL, 1, 2, 3)
                                        .str(Tag.ReferencedFrameOfReferenceUID, VR.UI, "1.2.3.6"),
                                item("HAS PROPERTIES", "TEXT", "112039", "Tracking Identifier")
                                        .str(Tag.TextValue, VR.UT, "lesion 1"),
                                item("HAS PROPERTIES", "UIDREF", "112040", "Tracking Unique Identifier")
                                        .str(Tag.UID, VR.UI, "1.2.3.7"),
                                dataset().str(Tag.RelationshipType, VR.CS, "HAS PROPERTIES")
                                        .longs(Tag.ReferencedContentItemIdentifier, VR.UL, 1, 2, 1)),
                item("HAS OBS CONTEXT", "PNAME", "121008", "Person Observer Name").str(Tag.PersonName, VR.PN, "Doe^J"),
                item("HAS OBS CONTEXT", "DATE", "111060", "Study Date").str(Tag.Date, VR.DA, "20240101"),
                item("HAS OBS CONTEXT", "TIME", "111061", "Study Time").str(Tag.Time, VR.TM, "101500"),
                item("HAS OBS CONTEXT", "DATETIME", "111526", "DateTime Started")
                        .str(Tag.DateTime, VR.DT, "20240101101500"),
                item("CONTAINS", "COMPOSITE", "121112", "Source of Measurement").seq(Tag.ReferencedSOPSequence,
                        dataset().str(Tag.ReferencedSOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.67")
                                .str(Tag.ReferencedSOPInstanceUID, VR.UI, "1.2.3.8")),
                item("CONTAINS", "TCOORD", "1", "Temporal").str(Tag.TemporalRangeType, VR.CS, "POINT")
                        .str(Tag.ReferencedTimeOffsets, VR.DS, "1.50", "2"),
                item("CONTAINS", "TABLE", "2", "Table"));

        SrDocument document = builder.build(root.get(), "test.dcm");
        ContentItem.Container report = document.root();

        assertThat(report.path()).isEqualTo("1");
        assertThat(report.relationship()).isNull();
        assertThat(report.children()).hasSize(9);
        ContentItem.Code language = (ContentItem.Code) report.children().get(0);
        assertThat(language.value()).isEqualTo(CodedConcept.of("RFC5646", "en-US", "English (United States)"));
        ContentItem.Container measurements = (ContentItem.Container) report.children().get(1);
        assertThat(measurements.templateId()).isEqualTo("1411");
        assertThat(measurements.mappingResource()).isEqualTo("DCMR");
        assertThat(measurements.continuous()).isFalse();

        ContentItem.Num volume = (ContentItem.Num) measurements.children().get(0);
        assertThat(volume.path()).isEqualTo("1.2.1");
        assertThat(volume.observationUid()).isEqualTo("1.2.3.9");
        assertThat(volume.numericValue()).isEqualTo(new BigDecimal("3.111220E+04"));
        assertThat(volume.floatingPointValue()).isEqualTo(31112.2);
        assertThat(volume.rationalNumerator()).isEqualTo(311122L);
        assertThat(volume.rationalDenominator()).isEqualTo(10L);
        assertThat(volume.unit().is("UCUM", "mm3")).isTrue();

        ContentItem.Num failed = (ContentItem.Num) measurements.children().get(1);
        assertThat(failed.numericValue()).isNull();
        assertThat(failed.unit()).isNull();
        assertThat(failed.qualifier().is("DCM", "114006")).isTrue();

        ContentItem.Scoord region = (ContentItem.Scoord) measurements.children().get(2);
        assertThat(region.relationship()).isEqualTo(RelationshipType.INFERRED_FROM);
        assertThat(region.graphicData()).containsExactly(new BigDecimal("0.1"), new BigDecimal("12.5"),
                new BigDecimal("1.0E-7"), new BigDecimal("3.0"));
        ContentItem.Image source = (ContentItem.Image) region.children().get(0);
        assertThat(source.path()).isEqualTo("1.2.3.1");
        assertThat(source.sop().frameNumbers()).containsExactly(1, 3);
        assertThat(source.sop().segmentNumbers()).containsExactly(2);

        ContentItem.Scoord3D point = (ContentItem.Scoord3D) measurements.children().get(3);
        assertThat(point.frameOfReferenceUid()).isEqualTo("1.2.3.6");
        assertThat(((ContentItem.Text) measurements.children().get(4)).text()).isEqualTo("lesion 1");
        assertThat(((ContentItem.UidRef) measurements.children().get(5)).uid()).isEqualTo("1.2.3.7");

        ContentItem.ByReference reference = (ContentItem.ByReference) measurements.children().get(6);
        assertThat(reference.path()).isEqualTo("1.2.7");
        assertThat(reference.target()).isSameAs(volume);
        assertThat(reference.valueType()).isEqualTo(ValueType.NUM);

        assertThat(((ContentItem.PName) report.children().get(2)).name().alphabetic()).isEqualTo("Doe^J");
        assertThat(((ContentItem.Date) report.children().get(3)).value()).isEqualTo("20240101");
        assertThat(((ContentItem.Time) report.children().get(4)).value()).isEqualTo("101500");
        assertThat(((ContentItem.DateTime) report.children().get(5)).value()).isEqualTo("20240101101500");
        assertThat(((ContentItem.Composite) report.children().get(6)).sop().sopInstanceUid()).isEqualTo("1.2.3.8");
        ContentItem.Tcoord tcoord = (ContentItem.Tcoord) report.children().get(7);
        assertThat(tcoord.timeOffsets()).containsExactly(new BigDecimal("1.50"), new BigDecimal("2"));
        assertThat(report.children().get(8)).isInstanceOf(ContentItem.Table.class);
        assertThat(document.warnings()).isEmpty();
    }

    @Test
    void codingSchemeUidsComeFromTheCodingSchemeIdentificationSequence() throws Exception {
        Datasets root = document(item("HAS CONCEPT MOD", "CODE", "121049", "Language")
                .seq(Tag.ConceptCodeSequence, code("99LOCAL", "x1", "Local code")))
                .seq(Tag.CodingSchemeIdentificationSequence, dataset()
                        .str(Tag.CodingSchemeDesignator, VR.SH, "99LOCAL").str(Tag.CodingSchemeUID, VR.UI, "1.2.9"));

        SrDocument document = builder.build(root.get(), "local.dcm");

        assertThat(document.codingSchemeUids()).containsExactly(java.util.Map.entry("99LOCAL", "1.2.9"));
        assertThat(((ContentItem.Code) document.root().children().get(0)).value().schemeUid()).isEqualTo("1.2.9");
        assertThat(document.root().conceptName().schemeUid()).isNull();
    }

    @Test
    void rejectsANonSrSopClassNamingIt() {
        Datasets segmentation = document().str(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.66.4");

        assertThatThrownBy(() -> builder.build(segmentation.get(), "seg.dcm"))
                .isInstanceOf(SrDocumentException.class)
                .hasMessage("seg.dcm (SOP Instance UID 1.2.3.4): not an SR document: SOP class Segmentation Storage "
                        + "(1.2.840.10008.5.1.4.1.1.66.4) is not an SR storage SOP class");
    }

    @Test
    void fallsBackToTheMediaStorageSopClassWithAWarning() throws Exception {
        Datasets root = document(item("CONTAINS", "TEXT", "1", "x").str(Tag.TextValue, VR.UT, "t"))
                .str(Tag.MediaStorageSOPClassUID, VR.UI, Datasets.COMPREHENSIVE_SR);
        root.get().put(new org.sr2fhir.dicom.DicomElement(Tag.SOPClassUID, VR.UI, List.of()));

        SrDocument document = builder.build(root.get(), "meta.dcm");

        assertThat(document.warnings()).containsExactly("the dataset has no SOP Class UID (0008,0016); the File "
                + "Meta Media Storage SOP Class UID 1.2.840.10008.5.1.4.1.1.88.33 is used");
        assertThat(document.header().sopClassUid()).isEqualTo(Datasets.COMPREHENSIVE_SR);
        assertThatThrownBy(() -> builder.build(dataset().str(Tag.ValueType, VR.CS, "CONTAINER").get(), "none.dcm"))
                .hasMessage("none.dcm: not an SR document: it has no SOP Class UID (0008,0016)");
    }

    @Test
    void rejectsADatasetWithoutContentTree() {
        Datasets noContent = dataset().str(Tag.SOPClassUID, VR.UI, Datasets.COMPREHENSIVE_SR)
                .str(Tag.ValueType, VR.CS, "CONTAINER");
        Datasets noRoot = dataset().str(Tag.SOPClassUID, VR.UI, Datasets.COMPREHENSIVE_SR);

        assertThatThrownBy(() -> builder.build(noContent.get(), "a.dcm"))
                .hasMessage("a.dcm: not a readable SR document: its root CONTAINER has no Content Sequence "
                        + "(0040,A730)");
        assertThatThrownBy(() -> builder.build(noRoot.get(), "b.dcm"))
                .hasMessage("b.dcm: not a readable SR document: it has no root content item "
                        + "(no Value Type (0040,A040))");
    }

    @Test
    void rejectsADanglingByReferenceItem() {
        Datasets root = document(item("CONTAINS", "TEXT", "1", "x").str(Tag.TextValue, VR.UT, "t"),
                dataset().str(Tag.RelationshipType, VR.CS, "INFERRED FROM")
                        .longs(Tag.ReferencedContentItemIdentifier, VR.UL, 1, 5));

        assertThatThrownBy(() -> builder.build(root.get(), "dangling.dcm"))
                .isInstanceOf(SrDocumentException.class)
                .hasMessage("dangling.dcm (SOP Instance UID 1.2.3.4): by-reference item 1.2 points at content item 1.5,"
                        + " which is not a by-value item of this document");
    }

    @Test
    void rejectsAByReferenceItemThatPointsAtItsAncestor() {
        Datasets root = document(item("CONTAINS", "CONTAINER", "1", "x").str(Tag.ContinuityOfContent, VR.CS, "SEPARATE")
                .seq(Tag.ContentSequence, dataset().str(Tag.RelationshipType, VR.CS, "INFERRED FROM")
                        .longs(Tag.ReferencedContentItemIdentifier, VR.UL, 1, 1)));

        assertThatThrownBy(() -> builder.build(root.get(), "loop.dcm"))
                .isInstanceOf(SrDocumentException.class)
                .hasMessageEndingWith("by-reference item 1.1.1 points at its own ancestor 1.1, which would make the "
                        + "content tree a loop");
    }

    @Test
    void toleratesProducerSlipsWithWarnings() throws Exception {
        Datasets root = document(
                item("CONTAINS", "NUM", "G-D7FE", "Length"),
                item("CONTAINS", "CODE", "121071", "Finding")
                        .seq(Tag.ConceptCodeSequence, code("99CORNERSTONE", "CORNERSTONEFREETEXT", "Free text")),
                item("CONTAINS", "BOGUS", "1", "x"),
                item("NOT A RELATION", "TEXT", "2", "y").str(Tag.TextValue, VR.UT, "t"));

        SrDocument document = builder.build(root.get(), "slips.dcm");

        ContentItem.Num length = (ContentItem.Num) document.root().children().get(0);
        assertThat(length.numericValue()).isNull();
        assertThat(document.root().children()).hasSize(3);
        assertThat(document.root().children().get(2).relationship()).isNull();
        assertThat(document.root().children().get(2).path()).isEqualTo("1.4");
        assertThat(document.warnings()).containsExactly(
                "NUM item 1.1 has no Measured Value Sequence (0040,A300); read as a NUM without value",
                "content item 1.2: value Code Value 'CORNERSTONEFREETEXT' is longer than 16 characters",
                "content item 1.3 has the unknown Value Type 'BOGUS'; it is skipped with its sub-tree",
                "content item 1.4 has the unknown Relationship Type 'NOT A RELATION'");
    }

    @Test
    void listsAtMostMaxWarningsAndCountsTheRest() throws Exception {
        Datasets[] slips = new Datasets[ContentTreeReader.MAX_WARNINGS + 5];
        for (int i = 0; i < slips.length; i++) {
            slips[i] = item("CONTAINS", "TEXT", "1", "x");
        }

        SrDocument document = builder.build(document(slips).get(), "many.dcm");

        assertThat(document.root().children()).hasSize(slips.length);
        assertThat(document.warnings()).hasSize(ContentTreeReader.MAX_WARNINGS + 1)
                .endsWith("5 more warnings about the content tree are not listed");
    }

    @Test
    void rejectsATreeNestedBeyondTheLimitWithoutStackOverflow() {
        Datasets deepest = item("CONTAINS", "TEXT", "1", "x").str(Tag.TextValue, VR.UT, "t");
        for (int level = 0; level < ContentTreeReader.MAX_DEPTH + 10; level++) {
            deepest = item("CONTAINS", "CONTAINER", "2", "y").str(Tag.ContinuityOfContent, VR.CS, "SEPARATE")
                    .seq(Tag.ContentSequence, deepest);
        }
        Datasets root = document(deepest);

        assertThatThrownBy(() -> builder.build(root.get(), "deep.dcm"))
                .isInstanceOf(SrDocumentException.class)
                .hasMessageContaining("is nested deeper than " + ContentTreeReader.MAX_DEPTH + " levels");
    }

    @Test
    void readsTheDocumentHeader() throws Exception {
        Datasets root = document()
                .str(Tag.PatientID, VR.LO, "P1").str(Tag.IssuerOfPatientID, VR.LO, "HOSP")
                .seq(Tag.IssuerOfPatientIDQualifiersSequence, dataset()
                        .str(Tag.UniversalEntityID, VR.UT, "1.2.99").str(Tag.UniversalEntityIDType, VR.CS, "ISO"))
                .str(Tag.PatientName, VR.PN, "Doe^Jane").str(Tag.AccessionNumber, VR.SH, "ACC1")
                .seq(Tag.IssuerOfAccessionNumberSequence, dataset().str(Tag.LocalNamespaceEntityID, VR.UT, "RIS"))
                .str(Tag.Manufacturer, VR.LO, "ACME").str(Tag.DeviceUID, VR.UI, "1.2.77")
                .seq(Tag.UDISequence, dataset().str(Tag.UniqueDeviceIdentifier, VR.UT, "(01)123"))
                .str(Tag.SoftwareVersions, VR.LO, "1.0", "2.0")
                .str(Tag.ContentDate, VR.DA, "20240102").str(Tag.ContentTime, VR.TM, "1200")
                .str(Tag.TimezoneOffsetFromUTC, VR.SH, "+0100")
                .str(Tag.CompletionFlag, VR.CS, "COMPLETE").str(Tag.VerificationFlag, VR.CS, "UNVERIFIED")
                .seq(Tag.ParticipantSequence, dataset().str(Tag.ParticipationType, VR.CS, "SOURCE")
                        .str(Tag.ObserverType, VR.CS, "DEV").str(Tag.DeviceUID, VR.UI, "1.2.78")
                        .str(Tag.ManufacturerModelName, VR.LO, "Model X"))
                .seq(Tag.VerifyingObserverSequence, dataset().str(Tag.VerifyingObserverName, VR.PN, "Smith^A")
                        .str(Tag.VerifyingOrganization, VR.LO, "Org").str(Tag.VerificationDateTime, VR.DT, "2024"))
                .seq(Tag.CurrentRequestedProcedureEvidenceSequence, dataset().str(Tag.StudyInstanceUID, VR.UI, "1.5")
                        .seq(Tag.ReferencedSeriesSequence, dataset().str(Tag.SeriesInstanceUID, VR.UI, "1.5.1")
                                .seq(Tag.ReferencedSOPSequence, dataset()
                                        .str(Tag.ReferencedSOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.2")
                                        .str(Tag.ReferencedSOPInstanceUID, VR.UI, "1.5.1.1"))));

        SrDocumentHeader header = builder.build(root.get(), "h.dcm").header();

        assertThat(header.sopInstanceUid()).isEqualTo("1.2.3.4");
        assertThat(header.patient().patientId()).isEqualTo("P1");
        assertThat(header.patient().issuerOfPatientId()).isEqualTo("HOSP");
        assertThat(header.patient().issuerQualifiers())
                .isEqualTo(new SrDocumentHeader.Issuer(null, "1.2.99", "ISO"));
        assertThat(header.patient().name().alphabetic()).isEqualTo("Doe^Jane");
        assertThat(header.study().accessionNumber()).isEqualTo("ACC1");
        assertThat(header.study().accessionIssuer().localNamespaceEntityId()).isEqualTo("RIS");
        assertThat(header.equipment().udis()).containsExactly("(01)123");
        assertThat(header.equipment().softwareVersions()).containsExactly("1.0", "2.0");
        assertThat(header.timezoneOffsetFromUtc()).isEqualTo("+0100");
        assertThat(header.completionFlag()).isEqualTo("COMPLETE");
        assertThat(header.verificationFlag()).isEqualTo("UNVERIFIED");
        assertThat(header.preliminaryFlag()).isNull();
        assertThat(header.participants()).containsExactly(new SrDocumentHeader.Participant("SOURCE", null, "DEV",
                null, "1.2.78", null, "Model X", null));
        assertThat(header.verifyingObservers()).containsExactly(new SrDocumentHeader.VerifyingObserver(
                org.sr2fhir.dicom.PersonName.parse("Smith^A"), "Org", "2024"));
        assertThat(header.currentRequestedProcedureEvidence()).containsExactly(new SrDocumentHeader.EvidenceStudy(
                "1.5", List.of(new SrDocumentHeader.EvidenceSeries("1.5.1",
                List.of(ReferencedSop.of("1.2.840.10008.5.1.4.1.1.2", "1.5.1.1"))))));
        assertThat(header.pertinentOtherEvidence()).isEmpty();
    }
}
