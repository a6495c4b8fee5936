package org.sr2fhir.sr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sr2fhir.dicom.DicomReader;
import org.sr2fhir.dicom.PersonName;
import org.sr2fhir.sr.SrDocumentHeader.Issuer;

/** SrDocumentBuilder over the real corpus: every SR builds, and targeted header and by-reference values. */
class SrDocumentBuilderCorpusTest {
    private static final Path CORPUS = Path.of(System.getProperty("sr2fhir.shared.dir", "../shared"), "corpus");

    private final DicomReader reader = new DicomReader();
    private final SrDocumentBuilder builder = new SrDocumentBuilder();

    static Stream<Path> everySr() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String folder : List.of("sr", "sr/nonconformant", "json", "json/nonconformant")) {
            try (Stream<Path> listing = Files.list(CORPUS.resolve(folder))) {
                listing.filter(Files::isRegularFile).sorted().forEach(files::add);
            }
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(56 + 59);
        return files.stream();
    }

    /** KOS and Basic Text SRs are SRs too: every file builds, with a root CONTAINER named by its title. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("everySr")
    void everyCorpusSrBuilds(Path file) throws Exception {
        SrDocument document = read(file);

        assertThat(document.root().conceptName()).isNotNull();
        assertThat(document.root().children()).isNotEmpty();
        assertThat(document.header().sopInstanceUid()).isNotNull();
        assertThat(document.header().sopClassUid()).startsWith("1.2.840.10008.5.1.4.1.1.88.");
    }

    @Test
    void rejectsTheSegmentationObjectNamingItsSopClass() {
        assertThatThrownBy(() -> read(CORPUS.resolve("aux/ext_dcmqi_sr-example_seg.dcm")))
                .isInstanceOf(SrDocumentException.class)
                .hasMessageEndingWith("not an SR document: SOP class Segmentation Storage "
                        + "(1.2.840.10008.5.1.4.1.1.66.4) is not an SR storage SOP class");
    }

    @Test
    void resolvesTheTwoByReferenceItemsOfTheDcmtkTestDocument() throws Exception {
        SrDocument document = read(CORPUS.resolve("sr/ext_pydicom_test-SR.dcm"));

        List<ContentItem.ByReference> references = byReferences(document.root());
        assertThat(references).extracting(ContentItem::path).containsExactly("1.3.3.1", "1.5.1.1.1");
        ContentItem.ByReference selectedFrom = references.get(0);
        assertThat(selectedFrom.relationship()).isEqualTo(RelationshipType.SELECTED_FROM);
        assertThat(selectedFrom.referencedPosition()).containsExactly(1, 3, 2);
        assertThat(selectedFrom.target()).isInstanceOf(ContentItem.Scoord.class);
        assertThat(selectedFrom.target()).isSameAs(document.root().children().get(2).children().get(1));
        assertThat(selectedFrom.valueType()).isEqualTo(ValueType.SCOORD);
        ContentItem.ByReference inferredFrom = references.get(1);
        assertThat(inferredFrom.relationship()).isEqualTo(RelationshipType.INFERRED_FROM);
        assertThat(inferredFrom.target().path()).isEqualTo("1.2.2.1");
        assertThat(inferredFrom.target()).isInstanceOf(ContentItem.Code.class);
    }

    @Test
    void readsTheHeaderOfTheIgExample() throws Exception {
        SrDocument document =
                read(CORPUS.resolve("sr/nonconformant/ext_hl7-dicom-sr_Example-MeasurementReport__part10.dcm"));
        SrDocumentHeader header = document.header();

        assertThat(header.sopClassUid()).isEqualTo("1.2.840.10008.5.1.4.1.1.88.22");
        assertThat(header.patient().patientId()).isEqualTo("PID-11235");
        assertThat(header.patient().issuerOfPatientId()).isEqualTo("Test Hospital");
        assertThat(header.patient().issuerQualifiers()).isEqualTo(new Issuer(null, "test-hospital.org", "URI"));
        assertThat(header.patient().sex()).isEqualTo("F");
        assertThat(header.study().accessionNumber()).isEqualTo("ACSN-235813");
        assertThat(header.study().accessionIssuer())
                .isEqualTo(new Issuer("Test Hospital", "http://test-hospital.org/acsn", "URI"));
        assertThat(header.study().studyId()).isEqualTo("SID-235813");
        assertThat(header.equipment().manufacturer()).isEqualTo("Example Device Manufacturer");
        assertThat(header.equipment().modelName()).isEqualTo("Example Imaging Measurement Device");
        assertThat(header.equipment().deviceUid())
                .isEqualTo("1.2.840.113747.20080222.83311413144566317081790268995.8888");
        assertThat(header.contentDate()).isEqualTo("20190323");
        assertThat(header.contentTime()).isEqualTo("082428");
        assertThat(header.completionFlag()).isEqualTo("COMPLETE");
        assertThat(header.verificationFlag()).isEqualTo("VERIFIED");
        assertThat(header.verifyingObservers()).containsExactly(new SrDocumentHeader.VerifyingObserver(
                PersonName.parse("RADIOLOGIST^EXAMPLE"), "Test Hospital", "20190323082428"));
        assertThat(document.root().templateId()).isEqualTo("1500");
        // the IG's own example has a 66-character UIDREF value: kept as written, with a warning
        assertThat(document.warnings()).anyMatch(w -> w.contains("is not a valid UID (66 characters)"));
    }

    @Test
    void readsPreliminaryFlagAndPertinentOtherEvidence() throws Exception {
        SrDocumentHeader header = read(CORPUS.resolve("sr/ext_highdicom_sr_document.dcm")).header();

        assertThat(header.preliminaryFlag()).isEqualTo("PRELIMINARY");
        assertThat(header.pertinentOtherEvidence()).hasSize(1);
        SrDocumentHeader.EvidenceSeries series = header.pertinentOtherEvidence().get(0).series().get(0);
        assertThat(series.seriesInstanceUid()).isEqualTo("1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322");
        assertThat(series.instances()).containsExactly(ReferencedSop.of("1.2.840.10008.5.1.4.1.1.2",
                "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322"));
    }

    @Test
    void fillsCodingSchemeUidsFromTheDocument() throws Exception {
        SrDocument document = read(CORPUS.resolve("sr/ext_dcmqi_sr-example_sr.dcm"));

        assertThat(document.codingSchemeUids()).containsExactly(Map.entry("99PMP", "1.3.6.1.4.1.5962.98.1"));
        List<CodedConcept> names = new ArrayList<>();
        collectConcepts(document.root(), names);
        assertThat(names).filteredOn(c -> "99PMP".equals(c.designator())).hasSize(11)
                .allMatch(c -> "1.3.6.1.4.1.5962.98.1".equals(c.schemeUid()));
        assertThat(names).filteredOn(c -> !"99PMP".equals(c.designator())).isNotEmpty()
                .allMatch(c -> c.schemeUid() == null);
    }

    @Test
    void keepsTheNonconformantNumWithoutMeasuredValueSequenceWithAWarning() throws Exception {
        SrDocument document = read(CORPUS.resolve("sr/nonconformant/ext_dcmjs_examples_structured_report.dcm"));

        ContentItem.Num center =
                (ContentItem.Num) document.root().children().get(4).children().get(0).children().get(3);
        assertThat(center.path()).isEqualTo("1.5.1.4");
        assertThat(center.numericValue()).isNull();
        assertThat(center.unit()).isNull();
        assertThat(document.warnings()).contains(
                "NUM item 1.5.1.4 has no Measured Value Sequence (0040,A300); read as a NUM without value");
    }

    private SrDocument read(Path file) throws Exception {
        String name = file.getFileName().toString();
        return builder.build(reader.read(Files.readAllBytes(file), name), name);
    }

    /** Concept names, CODE values and NUM units of a tree. */
    private static void collectConcepts(ContentItem item, List<CodedConcept> concepts) {
        if (item.conceptName() != null) {
            concepts.add(item.conceptName());
        }
        if (item instanceof ContentItem.Code code) {
            concepts.add(code.value());
        }
        if (item instanceof ContentItem.Num num && num.unit() != null) {
            concepts.add(num.unit());
        }
        item.children().forEach(child -> collectConcepts(child, concepts));
    }

    private static List<ContentItem.ByReference> byReferences(ContentItem item) {
        List<ContentItem.ByReference> found = new ArrayList<>();
        if (item instanceof ContentItem.ByReference reference) {
            found.add(reference);
        }
        item.children().forEach(child -> found.addAll(byReferences(child)));
        return found;
    }
}
