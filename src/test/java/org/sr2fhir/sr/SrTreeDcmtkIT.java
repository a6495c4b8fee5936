package org.sr2fhir.sr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sr2fhir.Prerequisites;
import org.sr2fhir.dicom.DicomReader;
import org.sr2fhir.dicom.PersonName;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Differential test: for every Part 10 file of the corpus ({@code sr/} and {@code sr/nonconformant/}), the
 * content tree sr2fhir reads equals the tree dcmtk's {@code dsr2xml} reads, item by item: value and relationship
 * types, concept names, values (text, codes, decimals, units, qualifiers, UIDs, SOP references with frames,
 * segments and channels, graphic types and coordinates, frame of reference), by-reference targets and the number
 * of children; plus the header values dsr2xml writes. A missing dcmtk fails the test (D70).
 */
class SrTreeDcmtkIT {
    private static final Path SR = Path.of(System.getProperty("sr2fhir.shared.dir", "../shared"), "corpus", "sr");

    /**
     * Files whose text dcmtk cannot decode, with the reason: their trees are compared without text values
     * (TEXT, PNAME, code meanings). {@code SrVariantsTest} proves their strings equal those of the base file.
     */
    private static final Map<String, String> TEXT_UNDECODABLE_BY_DCMTK = Map.of(
            "gen_dcmjs-cs3d_ArrowAnnotate__iso2022jp.dcm",
            "dcmtk 3.6.7 converts character sets with glibc iconv, which does not support ISO 2022 IR 87 code "
                    + "extensions (dsr2xml +U8 fails: 'ISO 2022 IR 87' is not supported)");

    private static final String DSR2XML = Prerequisites.executable("dcmtk", Path.of("/usr/bin/dsr2xml"),
            Path.of("/usr/local/bin/dsr2xml")).toString();
    private static final AtomicInteger FILES = new AtomicInteger();
    private static final AtomicInteger ITEMS = new AtomicInteger();

    private final DicomReader reader = new DicomReader();
    private final SrDocumentBuilder builder = new SrDocumentBuilder();

    static Stream<Path> corpus() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path folder : List.of(SR, SR.resolve("nonconformant"))) {
            try (Stream<Path> listing = Files.list(folder)) {
                listing.filter(p -> p.toString().endsWith(".dcm")).sorted().forEach(files::add);
            }
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(56);
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void treeEqualsTheTreeDcmtkReads(Path file) throws Exception {
        String name = file.getFileName().toString();
        boolean nonconformant = file.getParent().getFileName().toString().equals("nonconformant");
        boolean compareText = !TEXT_UNDECODABLE_BY_DCMTK.containsKey(name);

        Element report = dsr2xml(file, nonconformant, compareText);
        SrDocument document = builder.build(reader.read(Files.readAllBytes(file), name), name);

        Comparison comparison = new Comparison(compareText);
        comparison.header(report, document);
        Element content = child(child(report, "document"), "content");
        comparison.item(child(content, "item"), document.root());
        comparison.references();

        assertThat(comparison.differences).as("%s: differences from dcmtk", name).isEmpty();
        assertThat(comparison.items).isEqualTo(content.getElementsByTagName("item").getLength());
        FILES.incrementAndGet();
        ITEMS.addAndGet(comparison.items);
    }

    @AfterAll
    static void summary() {
        System.out.printf("SrTreeDcmtkIT: %d files, %d content items equal to dcmtk's tree; compared without text "
                + "(dcmtk cannot decode it): %s%n", FILES.get(), ITEMS.get(), TEXT_UNDECODABLE_BY_DCMTK);
    }

    /**
     * Runs dsr2xml with every value as XML attribute (+Ea), item ids (+Wi), template ids (+Wt) and values in
     * UTF-8 (+U8). Non-ASCII text without Specific Character Set is read as UTF-8 (+Ca), as sr2fhir's reader
     * does with bytes that are valid UTF-8 (the corpus's only such files are dcmjs output, which is UTF-8).
     * Nonconformant files need dcmtk's lenient options (-Er -Ev -Ec -Ee), as the corpus MANIFEST says.
     */
    private static Element dsr2xml(Path file, boolean lenient, boolean utf8) throws Exception {
        List<String> command = new ArrayList<>(List.of(DSR2XML, "+Ea", "+Wi", "+Wt", "+Ca", "ISO_IR 192"));
        if (utf8) {
            command.add("+U8");
        }
        if (lenient) {
            command.addAll(List.of("-Er", "-Ev", "-Ec", "-Ee"));
        }
        command.add(file.toString());
        Path errors = Files.createTempFile("dsr2xml", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            byte[] xml = process.getInputStream().readAllBytes();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("dsr2xml %s failed: %s", file, Files.readString(errors)).isZero();
            if (!utf8) {
                // undecoded ISO 2022 text keeps its escape bytes, which XML 1.0 forbids; text is not compared
                xml = withoutEscapeBytes(xml);
            }
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
            return document.getDocumentElement();
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    private static byte[] withoutEscapeBytes(byte[] xml) {
        byte[] result = new byte[xml.length];
        int length = 0;
        for (byte b : xml) {
            if (b != 0x1B) {
                result[length++] = b;
            }
        }
        return Arrays.copyOf(result, length);
    }


    /** Compares one document with dsr2xml's XML and collects every difference. */
    private static final class Comparison {
        private final boolean compareText;
        private final List<String> differences = new ArrayList<>();
        private final Map<String, ContentItem> itemsById = new HashMap<>();
        private final Map<ContentItem.ByReference, String> references = new LinkedHashMap<>();
        private int items;

        Comparison(boolean compareText) {
            this.compareText = compareText;
        }

        void header(Element report, SrDocument document) {
            SrDocumentHeader h = document.header();
            equal("header", "SOP Class UID", attribute(child(report, "sopclass"), "uid"), h.sopClassUid());
            equal("header", "SOP Instance UID", attribute(child(report, "instance"), "uid"), h.sopInstanceUid());
            equal("header", "Study Instance UID", attribute(child(report, "study"), "uid"), h.studyInstanceUid());
            equal("header", "Series Instance UID", attribute(child(report, "series"), "uid"), h.seriesInstanceUid());
            Element doc = child(report, "document");
            equal("header", "Completion Flag", attribute(child(doc, "completion"), "flag"), h.completionFlag());
            equal("header", "Verification Flag", attribute(child(doc, "verification"), "flag"),
                    h.verificationFlag());
            equal("header", "Preliminary Flag", attribute(child(doc, "preliminary"), "flag"), h.preliminaryFlag());
            Element content = child(doc, "content");
            equal("header", "Content Date", dateTime(text(child(content, "date"))), dateTime(h.contentDate()));
            equal("header", "Content Time", dateTime(text(child(content, "time"))), dateTime(h.contentTime()));
            Element device = child(report, "device");
            equal("header", "Manufacturer", text(device == null ? child(report, "manufacturer")
                    : child(device, "manufacturer")), h.equipment().manufacturer());
            equal("header", "Manufacturer's Model Name", text(child(device, "model")), h.equipment().modelName());
            equal("header", "Device Serial Number", text(child(device, "serial")),
                    h.equipment().deviceSerialNumber());
            Element patient = child(report, "patient");
            equal("header", "Patient ID", text(child(patient, "id")), h.patient().patientId());
            equal("header", "Issuer of Patient ID", text(child(patient, "issuer")), h.patient().issuerOfPatientId());
            equal("header", "Patient Sex", text(child(patient, "sex")), h.patient().sex());
            equal("header", "Patient Birth Date", dateTime(text(child(child(patient, "birthday"), "date"))),
                    h.patient().birthDate());
            Element study = child(report, "study");
            equal("header", "Study ID", text(child(study, "id")), h.study().studyId());
            equal("header", "Study Date", dateTime(text(child(study, "date"))), dateTime(h.study().studyDate()));
            equal("header", "Study Time", dateTime(text(child(study, "time"))), dateTime(h.study().studyTime()));
            equal("header", "Accession Number", text(child(child(study, "accession"), "number")),
                    h.study().accessionNumber());
            equal("header", "Series Number", text(child(child(report, "series"), "number")), h.seriesNumber());
            equal("header", "Instance Number", text(child(child(report, "instance"), "number")),
                    h.instanceNumber());
            if (compareText) {
                equal("header", "Patient's Name", nameComponents(child(patient, "name")),
                        nameComponents(h.patient().name()));
                equal("header", "Referring Physician's Name",
                        nameComponents(child(child(report, "referringphysician"), "name")),
                        nameComponents(h.study().referringPhysician()));
                List<String> observers = new ArrayList<>();
                for (Element observer : children(child(doc, "verification"), "observer")) {
                    observers.add(dateTime(text(child(observer, "datetime"))) + " "
                            + nameComponents(child(observer, "name")) + " " + text(child(observer, "organization")));
                }
                equal("header", "Verifying Observers", observers, h.verifyingObservers().stream()
                        .map(o -> dateTime(o.verificationDateTime()) + " " + nameComponents(o.name()) + " "
                                + o.organization()).toList());
            }
            equal("header", "Current Requested Procedure Evidence", evidence(report, "Current Requested Procedure"),
                    evidence(h.currentRequestedProcedureEvidence()));
            equal("header", "Pertinent Other Evidence", evidence(report, "Pertinent Other"),
                    evidence(h.pertinentOtherEvidence()));
            Map<String, String> schemes = new LinkedHashMap<>();
            for (Element scheme : children(child(report, "coding"), "scheme")) {
                String uid = text(child(scheme, "uid"));
                if (uid != null) {
                    schemes.putIfAbsent(scheme.getAttribute("designator"), uid);
                }
            }
            equal("header", "Coding Scheme Identification", schemes, document.codingSchemeUids());
        }

        /** Evidence as sorted "study series class instance" lines (dsr2xml may reorder series). */
        private static List<String> evidence(Element report, String type) {
            List<String> lines = new ArrayList<>();
            for (Element evidence : children(report, "evidence")) {
                if (evidence.getAttribute("type").equals(type)) {
                    for (Element study : children(evidence, "study")) {
                        for (Element series : children(study, "series")) {
                            for (Element value : children(series, "value")) {
                                lines.add(study.getAttribute("uid") + " " + series.getAttribute("uid") + " "
                                        + attribute(child(value, "sopclass"), "uid") + " "
                                        + attribute(child(value, "instance"), "uid"));
                            }
                        }
                    }
                }
            }
            return lines.stream().sorted().toList();
        }

        private static List<String> evidence(List<SrDocumentHeader.EvidenceStudy> studies) {
            List<String> lines = new ArrayList<>();
            for (SrDocumentHeader.EvidenceStudy study : studies) {
                for (SrDocumentHeader.EvidenceSeries series : study.series()) {
                    for (ReferencedSop sop : series.instances()) {
                        lines.add(study.studyInstanceUid() + " " + series.seriesInstanceUid() + " "
                                + sop.sopClassUid() + " " + sop.sopInstanceUid());
                    }
                }
            }
            return lines.stream().sorted().toList();
        }

        void item(Element x, ContentItem ours) {
            items++;
            String at = ours.path();
            itemsById.put(x.getAttribute("id"), ours);
            equal(at, "relationship type", x.getAttribute("relType"),
                    ours.relationship() == null ? "" : ours.relationship().dicom());
            if (x.hasAttribute("ref")) {
                if (ours instanceof ContentItem.ByReference reference) {
                    references.put(reference, x.getAttribute("ref"));
                } else {
                    differences.add(at + ": dcmtk reads a by-reference item, sr2fhir reads " + ours.valueType());
                }
                return;
            }
            if (!equal(at, "value type", x.getAttribute("valType"), String.valueOf(ours.valueType()))) {
                return;
            }
            code(at, "concept name", child(x, "concept"), ours.conceptName());
            Element observation = child(x, "observation");
            equal(at, "Observation DateTime", dateTime(text(child(observation, "datetime"))),
                    dateTime(ours.observationDateTime()));
            values(at, x, ours);

            List<Element> xChildren = children(x, "item");
            if (equal(at, "number of children", xChildren.size(), ours.children().size())) {
                for (int i = 0; i < xChildren.size(); i++) {
                    item(xChildren.get(i), ours.children().get(i));
                }
            }
        }

        /** By-reference targets: the item dcmtk's reference id names is the very item sr2fhir resolved. */
        void references() {
            references.forEach((reference, id) -> {
                ContentItem expected = itemsById.get(id);
                if (expected == null || reference.target() != expected) {
                    differences.add(reference.path() + ": by-reference target is " + reference.target().path()
                            + ", dcmtk's is " + (expected == null ? "item id " + id : expected.path()));
                }
            });
        }

        private void values(String at, Element x, ContentItem ours) {
            Element value = child(x, "value");
            if (ours instanceof ContentItem.Container c) {
                equal(at, "continuity", x.getAttribute("flag"), c.continuous() ? "CONTINUOUS" : "SEPARATE");
                Element template = child(x, "template");
                equal(at, "template", attribute(template, "tid"), c.templateId());
                equal(at, "mapping resource", attribute(template, "resource"), c.mappingResource());
            } else if (ours instanceof ContentItem.Text t) {
                if (compareText) {
                    equal(at, "text", text(value), t.text());
                }
            } else if (ours instanceof ContentItem.Code c) {
                code(at, "value", value, c.value());
            } else if (ours instanceof ContentItem.Num n) {
                num(at, x, n);
            } else if (ours instanceof ContentItem.DateTime d) {
                equal(at, "datetime", dateTime(text(value)), dateTime(d.value()));
            } else if (ours instanceof ContentItem.Date d) {
                equal(at, "date", dateTime(text(value)), dateTime(d.value()));
            } else if (ours instanceof ContentItem.Time t) {
                equal(at, "time", dateTime(text(value)), dateTime(t.value()));
            } else if (ours instanceof ContentItem.UidRef u) {
                equal(at, "UID", text(value), u.uid());
            } else if (ours instanceof ContentItem.PName p) {
                if (compareText) {
                    personName(at, value, p.name());
                }
            } else if (ours instanceof ContentItem.Composite c) {
                sop(at, value, c.sop());
            } else if (ours instanceof ContentItem.Image i) {
                sop(at, value, i.sop());
            } else if (ours instanceof ContentItem.Waveform w) {
                sop(at, value, w.sop());
            } else if (ours instanceof ContentItem.Scoord s) {
                equal(at, "graphic type", x.getAttribute("type"), s.graphicType());
                coordinates(at, child(x, "data"), s.graphicData());
            } else if (ours instanceof ContentItem.Scoord3D s) {
                equal(at, "graphic type", x.getAttribute("type"), s.graphicType());
                Element data = child(x, "data");
                coordinates(at, data, s.graphicData());
                equal(at, "frame of reference", emptyToNull(attribute(data, "uid")), s.frameOfReferenceUid());
            } else if (ours instanceof ContentItem.Tcoord t) {
                tcoord(at, x, t);
            } else if (!(ours instanceof ContentItem.Table)) {
                differences.add(at + ": unexpected " + ours);
            }
        }

        private void num(String at, Element x, ContentItem.Num n) {
            String value = text(child(x, "value"));
            if (value == null || n.numericValue() == null) {
                equal(at, "numeric value", value, n.numericValue() == null ? null : n.numericValue().toString());
            } else if (new BigDecimal(value.trim()).compareTo(n.numericValue()) != 0) {
                differences.add(at + ": numeric value " + n.numericValue() + ", dcmtk " + value);
            }
            String floating = text(child(x, "float"));
            if (floating == null || n.floatingPointValue() == null) {
                equal(at, "floating point value", floating, n.floatingPointValue());
            } else if (!closeTo(Double.parseDouble(floating), n.floatingPointValue())) {
                differences.add(at + ": floating point value " + n.floatingPointValue() + ", dcmtk " + floating);
            }
            Element rational = child(x, "rational");
            equal(at, "rational numerator", longOrNull(text(child(rational, "numerator"))), n.rationalNumerator());
            equal(at, "rational denominator", longOrNull(text(child(rational, "denominator"))),
                    n.rationalDenominator());
            code(at, "unit", child(x, "unit"), n.unit());
            code(at, "qualifier", child(x, "qualifier"), n.qualifier());
        }

        private void tcoord(String at, Element x, ContentItem.Tcoord t) {
            equal(at, "temporal range type", x.getAttribute("type"), t.temporalRangeType());
            Element data = child(x, "data");
            List<String> values = data == null ? List.of() : List.of(data.getTextContent().trim().split(","));
            switch (data == null ? "" : data.getAttribute("type")) {
                case "SAMPLE POSITION" -> equal(at, "sample positions",
                        values.stream().map(Long::valueOf).toList(), t.samplePositions());
                case "TIME OFFSET" -> equal(at, "time offsets",
                        values.stream().map(v -> new BigDecimal(v).stripTrailingZeros()).toList(),
                        t.timeOffsets().stream().map(BigDecimal::stripTrailingZeros).toList());
                case "DATETIME" -> equal(at, "datetimes", values.stream().map(SrTreeDcmtkIT::dateTime).toList(),
                        t.dateTimes().stream().map(SrTreeDcmtkIT::dateTime).toList());
                default -> differences.add(at + ": dcmtk TCOORD data type " + (data == null ? "missing"
                        : data.getAttribute("type")));
            }
        }

        private void sop(String at, Element value, ReferencedSop sop) {
            if (value == null || sop == null) {
                equal(at, "referenced SOP", value == null, sop == null);
                return;
            }
            equal(at, "referenced SOP class", attribute(child(value, "sopclass"), "uid"), sop.sopClassUid());
            equal(at, "referenced SOP instance", attribute(child(value, "instance"), "uid"), sop.sopInstanceUid());
            equal(at, "frame numbers", integers(text(child(value, "frames"))), sop.frameNumbers());
            equal(at, "segment numbers", integers(text(child(value, "segments"))), sop.segmentNumbers());
            equal(at, "channels", integers(text(child(value, "channels"))), sop.channels());
        }

        /** dcmtk writes FL coordinates as "x/y,x/y"; both sides must be the very same float values. */
        private void coordinates(String at, Element data, List<BigDecimal> ours) {
            List<Float> theirs = data == null || data.getTextContent().isBlank() ? List.of()
                    : Arrays.stream(data.getTextContent().trim().split("[,/]"))
                    .map(v -> (float) Double.parseDouble(v)).toList();
            equal(at, "graphic data", theirs, ours.stream().map(BigDecimal::floatValue).toList());
        }

        private void personName(String at, Element value, PersonName name) {
            equal(at, "person name", nameComponents(value), nameComponents(name));
        }

        private void code(String at, String role, Element x, CodedConcept ours) {
            if (x == null || ours == null) {
                equal(at, role + " present", x != null, ours != null);
                return;
            }
            equal(at, role + " code", x.getAttribute("codValue"), ours.code());
            equal(at, role + " designator", x.getAttribute("codScheme"), ours.designator());
            equal(at, role + " version", emptyToNull(x.getAttribute("codVersion")), ours.version());
            if (compareText) {
                equal(at, role + " meaning", x.getTextContent(), Objects.requireNonNullElse(ours.meaning(), ""));
            }
        }

        private boolean equal(String at, String what, Object dcmtk, Object sr2fhir) {
            if (Objects.equals(dcmtk, sr2fhir)) {
                return true;
            }
            differences.add(at + ": " + what + " is " + sr2fhir + ", dcmtk reads " + dcmtk);
            return false;
        }
    }

    /** dsr2xml writes the components of a PN's alphabetic group: family, given, middle, prefix, suffix. */
    private static List<String> nameComponents(Element name) {
        return Stream.of("last", "first", "middle", "prefix", "suffix")
                .map(component -> Objects.requireNonNullElse(text(child(name, component)), "")).toList();
    }

    private static List<String> nameComponents(PersonName name) {
        return name == null ? List.of("", "", "", "", "") : PersonName.components(name.alphabetic());
    }

    private static boolean closeTo(double dcmtk, double ours) {
        return dcmtk == ours || Math.abs(dcmtk - ours) <= 1e-6 * Math.max(Math.abs(dcmtk), Math.abs(ours))
                || Double.isNaN(dcmtk) && Double.isNaN(ours);
    }

    /**
     * dsr2xml writes DA/TM/DT in ISO form ("2001-02-13T18:47:46") and drops fractions of a second; compare
     * digits and offset signs, to the second.
     */
    private static String dateTime(String value) {
        return value == null ? null : value.trim().replaceAll("\\.\\d*", "").replaceAll("[-:T]", "");
    }

    private static List<Integer> integers(String text) {
        return text == null || text.isBlank() ? List.of()
                : Arrays.stream(text.trim().split("[,/]")).map(Integer::valueOf).toList();
    }

    private static Long longOrNull(String text) {
        return text == null ? null : Long.valueOf(text.trim());
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static String attribute(Element element, String name) {
        return element == null || !element.hasAttribute(name) ? null : element.getAttribute(name);
    }

    private static String text(Element element) {
        return element == null ? null : element.getTextContent();
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        if (parent != null) {
            for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals(name)) {
                    found.add(e);
                }
            }
        }
        return found;
    }
}
