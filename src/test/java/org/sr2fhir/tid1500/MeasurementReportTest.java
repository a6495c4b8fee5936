package org.sr2fhir.tid1500;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.sr.ReferencedSop;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sr2fhir.sr.RelationshipType.CONTAINS;
import static org.sr2fhir.sr.RelationshipType.HAS_CONCEPT_MOD;
import static org.sr2fhir.sr.RelationshipType.HAS_OBS_CONTEXT;
import static org.sr2fhir.sr.RelationshipType.INFERRED_FROM;
import static org.sr2fhir.sr.RelationshipType.SELECTED_FROM;
import static org.sr2fhir.tid1500.TestReports.c;
import static org.sr2fhir.tid1500.TestReports.code;
import static org.sr2fhir.tid1500.TestReports.composite;
import static org.sr2fhir.tid1500.TestReports.container;
import static org.sr2fhir.tid1500.TestReports.group;
import static org.sr2fhir.tid1500.TestReports.image;
import static org.sr2fhir.tid1500.TestReports.measurementReport;
import static org.sr2fhir.tid1500.TestReports.num;
import static org.sr2fhir.tid1500.TestReports.report;
import static org.sr2fhir.tid1500.TestReports.scoord;
import static org.sr2fhir.tid1500.TestReports.text;
import static org.sr2fhir.tid1500.TestReports.uidref;
import static org.sr2fhir.tid1500.TestReports.volume;

/** The TID 1500 model: recognition (D1), container placement (D2), group rows, evaluations (D11). */
class MeasurementReportTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "1.2.840.10008.5.1.4.1.1.88.11; Basic Text SR, not a TID 1500 measurement report",
            "1.2.840.10008.5.1.4.1.1.88.59; Key Object Selection document, not a TID 1500 measurement report",
            "1.2.840.10008.5.1.4.1.1.88.67; X-Ray Radiation Dose SR, not a TID 1500 measurement report"})
    void d1RejectsOtherSopClassesNamingThem(String sopClass, String reason) {
        assertThatThrownBy(() -> report(TestReports.Header.defaults().sopClass(sopClass), measurementReport()))
                .isInstanceOf(InputRejectedException.class)
                .extracting(e -> ((InputRejectedException) e).reason()).isEqualTo(reason);
    }

    @Test
    void d1RejectsAnotherTemplateWithoutTid1500TitleOrContent() {
        TestReports.Node root = container(null, c("LN", "18748-4", "Diagnostic imaging study"), "2000")
                .with(text(CONTAINS, c("DCM", "121071", "Finding"), "normal"));
        assertThatThrownBy(() -> report(root)).isInstanceOf(InputRejectedException.class)
                .extracting(e -> ((InputRejectedException) e).reason()).isEqualTo("Enhanced SR titled (18748-4, LN, "
                        + "\"Diagnostic imaging study\") written with template TID 2000, without TID 1500 content (no "
                        + "Imaging Measurements, Derived Imaging Measurements or Qualitative Evaluations container), not a "
                        + "TID 1500 measurement report");
    }

    /**
     * Issue 10 class 4, D1 as extended: one rule for every spelling of the template. The TID 1500 title or shape decides;
     * the template's spelling, or another template on such a document, is a deviation, never a refusal.
     */
    @ParameterizedTest(name = "template [{0}]")
    @CsvSource(delimiter = ';', nullValues = "-", value = {
            "1500; -",
            "-; -",
            "TID1500; Template Identifier written \"TID1500\": read as 1500",
            "TID 1500; Template Identifier written \"TID 1500\": read as 1500",
            "' 1500 '; Template Identifier written \" 1500 \": read as 1500",
            "tid1500; Template Identifier written \"tid1500\": read as 1500",
            "1501; Content Template TID 1501 on a document with a TID 1500 title or content: read as TID 1500"})
    void d1OneRuleForEveryTemplateSpelling(String template, String deviation) throws Exception {
        TestReports.Node root = container(null, c("DCM", "126000", "Imaging Measurement Report"), template).with(
                container(CONTAINS, c("DCM", "126010", "Imaging Measurements"), null).with(group(volume("1"))));
        MeasurementReport report = report(root);
        assertThat(report.measurementGroups()).hasSize(1);
        assertThat(report.deviations()).extracting(Deviation::description)
                .containsExactlyElementsOf(deviation == null ? List.of() : List.of(deviation));
    }

    @Test
    void d1TheTitleAloneMakesATid1500ReportAndAnEmptyOneHasNothingToMap() throws Exception {
        TestReports.Node titledOnly = container(null, c("DCM", "126000", "Imaging Measurement Report"), "2000")
                .with(text(CONTAINS, c("DCM", "121106", "Comment"), "no measurements today"));
        MeasurementReport report = report(titledOnly);
        assertThat(report.isEmpty()).isTrue();
        assertThat(report.notMapped()).extracting(NotMappedItem::path).containsExactly("1.1");
        assertThat(report.deviations()).extracting(Deviation::description).containsExactly(
                "Content Template TID 2000 on a document with a TID 1500 title or content: read as TID 1500");
    }

    @Test
    void d1AcceptsTheTid1500ShapeWithoutTemplateAndRejectsOtherTrees() throws Exception {
        TestReports.Node shaped = container(null, c("DCM", "126000", "Imaging Measurement Report"), null).with(
                container(CONTAINS, c("DCM", "126010", "Imaging Measurements"), null).with(group(volume("1"))));
        assertThat(report(shaped).measurementGroups()).hasSize(1);

        TestReports.Node other = container(null, c("LN", "18748-4", "Diagnostic imaging study"), null)
                .with(text(CONTAINS, c("DCM", "121071", "Finding"), "normal"));
        assertThatThrownBy(() -> report(other)).isInstanceOf(InputRejectedException.class)
                .extracting(e -> ((InputRejectedException) e).reason()).asString()
                .startsWith("Enhanced SR titled (18748-4, LN, \"Diagnostic imaging study\") without TID 1500 content");
    }

    @Test
    void d2FindsDerivedAndQualitativeContainersInsideAndBesideImagingMeasurements() throws Exception {
        TestReports.Node derivedInside = container(CONTAINS, c("DCM", "126011", "Derived Imaging Measurements"), null)
                .with(num(c("DCM", "126031", "Peak Value Within ROI"), "123.45", c("UCUM", "[hnsf'U]", "HU"))
                        .with(group(volume("2"))));
        TestReports.Node evaluationsBeside = container(CONTAINS, c("UMLS", "C0034375", "Qualitative Evaluations"), null)
                .with(code(CONTAINS, c("DCM", "121071", "Finding"), c("SCT", "17621005", "Normal")),
                        code(CONTAINS, c("SCT", "246112005", "Severity"), c("SCT", "255604002", "Mild")));
        TestReports.Node root = measurementReport(group(volume("1")), derivedInside).with(evaluationsBeside);
        MeasurementReport report = report(root);
        assertThat(report.measurementGroups()).hasSize(1);
        assertThat(report.derivedMeasurements()).singleElement().satisfies(d -> {
            assertThat(d.measurement().value()).isEqualByComparingTo("123.45");
            assertThat(d.sourceGroups()).singleElement()
                    .satisfies(g -> assertThat(g.measurements().get(0).value()).isEqualByComparingTo("2"));
        });
        // D11: Finding (121071) is in the IG's exclusion list, Severity is an evaluation
        assertThat(report.qualitativeEvaluations()).extracting(e -> e.concept().code()).containsExactly("246112005");
    }

    /**
     * Issue 14, found by a long fuzz run (seed 7): a region whose Graphic Type is none of DICOM's, and a Finding Site
     * (or its laterality) without a value, are listed with their reason; the rest of the group is read.
     */
    @Test
    void unknownGraphicTypesAndFindingSitesWithoutValueAreListedNotRead() throws Exception {
        ReferencedSop ct = ReferencedSop.of("1.2.840.10008.5.1.4.1.1.2", "2.25.7");
        TestReports.Node root = measurementReport(group(
                text(HAS_OBS_CONTEXT, c("DCM", "112039", "Tracking Identifier"), "Lesion 1"),
                code(HAS_CONCEPT_MOD, c("SRT", "G-C0E3", "Finding Site"), null),
                code(HAS_CONCEPT_MOD, c("SCT", "363698007", "Finding Site"), c("SCT", "39607008", "Lung"))
                        .with(code(HAS_CONCEPT_MOD, c("SCT", "272741003", "Laterality"), null)),
                num(c("SCT", "410668003", "Length"), "5", c("UCUM", "mm", "mm")).with(
                        scoord(INFERRED_FROM, c("DCM", "111030", "Image Region"), "POLLLINE", "1", "2", "3", "4")
                                .with(image(SELECTED_FROM, null, ct)),
                        scoord(INFERRED_FROM, c("DCM", "111030", "Image Region"), "polyline", "5", "6", "7", "8")
                                .with(image(SELECTED_FROM, null, ct))),
                TestReports.scoord3d(CONTAINS, c("DCM", "111030", "Image Region"), "CIRCLE", "2.25.9", "1", "2", "3")));
        MeasurementReport report = report(root);
        MeasurementGroup g = report.measurementGroups().get(0);

        assertThat(g.findingSites()).singleElement().satisfies(site -> {
            assertThat(site.site().code()).isEqualTo("39607008");
            assertThat(site.laterality()).isNull();
        });
        assertThat(g.measurements().get(0).regions()).singleElement()
                .satisfies(region -> assertThat(region.coordinates()).extracting(BigDecimal::intValue)
                        .containsExactly(5, 6, 7, 8));
        assertThat(g.regions()).isEmpty();
        assertThat(report.notMapped()).extracting(NotMappedItem::reason).contains(
                "Finding Site without its value (no Concept Code Sequence (0040,A168)): no site to map",
                "Graphic Type (0070,0023) 'POLLLINE': a SCOORD has one of CIRCLE, ELLIPSE, MULTIPOINT, POINT, "
                        + "POLYLINE; no region type to map it to",
                "Graphic Type (0070,0023) 'CIRCLE': a SCOORD3D has one of ELLIPSE, ELLIPSOID, MULTIPOINT, POINT, "
                        + "POLYGON, POLYLINE; no region type to map it to");
        assertThat(report.notMapped()).extracting(NotMappedItem::concept).extracting(concept -> concept.meaning())
                .contains("Laterality");
    }

    @Test
    void groupRowsAreReadIntoTheModel() throws Exception {
        ReferencedSop seg = new ReferencedSop("1.2.840.10008.5.1.4.1.1.66.4", "2.25.5", null, List.of(3), null);
        TestReports.Node root = measurementReport(group(
                text(HAS_OBS_CONTEXT, c("DCM", "112039", "Tracking Identifier"), "Lesion 1"),
                uidref(HAS_OBS_CONTEXT, c("DCM", "112040", "Tracking Unique Identifier"), "2.25.77"),
                code(CONTAINS, c("SCT", "276214006", "Finding category"), c("SCT", "49755003", "Morphologic abnormality")),
                code(CONTAINS, c("DCM", "121071", "Finding"), c("SCT", "108369006", "Neoplasm")),
                code(HAS_CONCEPT_MOD, c("SRT", "G-C0E3", "Finding Site"), c("SCT", "39607008", "Lung"))
                        .with(code(HAS_CONCEPT_MOD, c("SCT", "272741003", "Laterality"), c("SCT", "7771000", "Left"))),
                code(HAS_CONCEPT_MOD, c("SCT", "370129005", "Measurement Method"), c("DCM", "126030", "Sum")),
                TestReports.algorithm("segmenter", "2.1"),
                image(CONTAINS, c("DCM", "121191", "Referenced Segment"), seg),
                uidref(CONTAINS, c("DCM", "121232", "Source series for segmentation"), "2.25.6"),
                image(CONTAINS, c("DCM", "121233", "Source image for segmentation"),
                        ReferencedSop.of("1.2.840.10008.5.1.4.1.1.2", "2.25.7")),
                composite(CONTAINS, c("DCM", "126100", "Real World Value Map used for measurement"),
                        ReferencedSop.of("1.2.840.10008.5.1.4.1.1.67", "2.25.8")),
                volume("3.111220E+04").uid("2.25.99").at("20240101120000+0100"),
                num(c("SCT", "410668003", "Length"), "5", c("UCUM", "mm", "mm")).with(
                        scoord(INFERRED_FROM, null, "POLYLINE", "1", "2", "3", "4").with(
                                image(SELECTED_FROM, null, ReferencedSop.of("1.2.840.10008.5.1.4.1.1.2", "2.25.7")))),
                text(CONTAINS, c("DCM", "111001", "Algorithm Name"), "not an evaluation"),
                text(CONTAINS, c("DCM", "121106", "Comment"), "irregular margin")));
        MeasurementGroup g = report(root).measurementGroups().get(0);
        assertThat(g.trackingIdentifier()).isEqualTo("Lesion 1");
        assertThat(g.trackingUid()).isEqualTo("2.25.77");
        assertThat(g.findingCategory().code()).isEqualTo("49755003");
        assertThat(g.finding().code()).isEqualTo("108369006");
        assertThat(g.findingSites()).singleElement().satisfies(site -> {
            assertThat(site.site().code()).isEqualTo("39607008");
            assertThat(site.laterality().code()).isEqualTo("7771000");
        });
        assertThat(g.method().code()).isEqualTo("126030");
        assertThat(g.algorithm()).isEqualTo(new AlgorithmIdentification("segmenter", "2.1", null, List.of()));
        assertThat(g.regions()).extracting(RegionReference::kind).containsExactly(
                RegionReference.Kind.REFERENCED_SEGMENT, RegionReference.Kind.REAL_WORLD_VALUE_MAP);
        assertThat(g.sourceSeriesForSegmentation()).isEqualTo("2.25.6");
        assertThat(g.sourceImagesForSegmentation()).extracting(ReferencedSop::sopInstanceUid).containsExactly("2.25.7");
        assertThat(g.measurements()).hasSize(2);
        Measurement volume = g.measurements().get(0);
        assertThat(volume.value()).isEqualTo(new BigDecimal("3.111220E+04"));
        assertThat(volume.observationUid()).isEqualTo("2.25.99");
        assertThat(volume.observationDateTime()).isEqualTo("20240101120000+0100");
        assertThat(g.measurements().get(1).regions()).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(RegionReference.Kind.IMAGE_REGION_2D);
            assertThat(r.sop().sopInstanceUid()).isEqualTo("2.25.7");
        });
        // D11: a CONTAINS Algorithm Name TEXT is TID 4019, not an evaluation
        assertThat(g.qualitativeEvaluations()).extracting(e -> e.textValue()).containsExactly("irregular margin");
    }

    @Test
    void floatingPointValueIsPreferredAndRationalsAreExact() {
        org.sr2fhir.sr.ContentItem.ItemHeader h = new org.sr2fhir.sr.ContentItem.ItemHeader(CONTAINS,
                c("SCT", "131190003", "Radius"), null, null, List.of(1), List.of());
        assertThat(ReportParser.value(new org.sr2fhir.sr.ContentItem.Num(h, new BigDecimal("0.33"), 0.3333333333333333,
                1L, 3L, null, null))).isEqualTo(new BigDecimal("0.3333333333333333"));
        assertThat(ReportParser.value(new org.sr2fhir.sr.ContentItem.Num(h, null, null, 1L, 4L, null, null)))
                .isEqualByComparingTo("0.25");
        assertThat(ReportParser.value(new org.sr2fhir.sr.ContentItem.Num(h, null, null, null, null, null, null))).isNull();
    }
}
