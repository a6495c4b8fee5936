package org.sr2fhir.sr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sr2fhir.dicom.DicomReader;

/**
 * The same report in another encoding gives the same SR document: every DICOM JSON file of the corpus and its
 * Part 10 twin, and every transcoded variant ({@code __implicitVR}, {@code __deflated}, {@code __bigendian},
 * {@code __utf8}, {@code __iso2022jp}) and its base file have equal content trees and header values (character
 * set variants differ only in Specific Character Set).
 */
class SrVariantsTest {
    private static final Path CORPUS = Path.of(System.getProperty("sr2fhir.shared.dir", "../shared"), "corpus");

    private final DicomReader reader = new DicomReader();
    private final SrDocumentBuilder builder = new SrDocumentBuilder();

    /**
     * Part 10 files whose producer wrote UTF-8 without declaring a Specific Character Set (a dcmjs habit, see
     * the corpus MANIFEST): sr2fhir's reader decodes such bytes as UTF-8 when they are valid UTF-8 (with a
     * warning), while their JSON twins were written by pydicom, which decoded the same bytes as Latin-1 ("Â°").
     */
    private static final Set<String> UNDECLARED_UTF8 = Set.of("gen_dcmjs-cs_Angle.dcm", "gen_dcmjs-cs_CobbAngle.dcm");

    /**
     * Variants whose text was deliberately rewritten, so they are not compared with their base file:
     * make_iso2022_variant.py replaces PNAME, TEXT and free-text code meanings with Japanese. Their strings
     * are compared with their DICOM JSON twin (decoded by pydicom) and in
     * {@link #iso2022VariantDecodesTheJapaneseItsGeneratorWrote}.
     */
    private static final Set<String> TEXT_REWRITTEN = Set.of("gen_dcmjs-cs3d_ArrowAnnotate__iso2022jp.dcm");

    /** (JSON file, Part 10 twin or null when the JSON file is published as is and has no Part 10 twin). */
    static Stream<Path[]> jsonFiles() throws IOException {
        List<Path[]> pairs = new ArrayList<>();
        for (String folder : List.of("", "nonconformant")) {
            for (Path json : list(CORPUS.resolve("json").resolve(folder), ".json")) {
                Path twin = CORPUS.resolve("sr").resolve(folder)
                        .resolve(json.getFileName().toString().replace(".json", ".dcm"));
                pairs.add(new Path[] {json, Files.exists(twin) ? twin : null});
            }
        }
        assertThat(pairs.stream().filter(p -> p[1] != null)).hasSizeGreaterThanOrEqualTo(56);
        return pairs.stream();
    }

    /** (variant, base file) for every transcoded Part 10 variant "base__kind.dcm". */
    static Stream<Path[]> variants() throws IOException {
        List<Path[]> pairs = new ArrayList<>();
        for (Path variant : list(CORPUS.resolve("sr"), ".dcm")) {
            String name = variant.getFileName().toString();
            int marker = name.indexOf("__");
            if (marker > 0 && !TEXT_REWRITTEN.contains(name)) {
                Path base = variant.resolveSibling(name.substring(0, marker) + ".dcm");
                assertThat(base).as("base file of %s", name).exists();
                pairs.add(new Path[] {variant, base});
            }
        }
        assertThat(pairs).extracting(p -> p[0].getFileName().toString().replaceAll(".*__|\\.dcm", ""))
                .contains("implicitVR", "deflated", "bigendian", "utf8");
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonFiles")
    void jsonFileGivesTheSameDocumentAsItsPart10Twin(Path json, Path twin) throws Exception {
        SrDocument fromJson = read(json);
        if (twin == null) {
            // published JSON as is (e.g. the IG's own example): it has no Part 10 twin but must build
            assertThat(fromJson.root().children()).isNotEmpty();
            return;
        }
        SrDocument fromPart10 = read(twin);
        List<String> jsonLines = TreeLines.of(fromJson.root());
        if (UNDECLARED_UTF8.contains(twin.getFileName().toString())) {
            assertThat(fromPart10.warnings()).anyMatch(w -> w.contains("without Specific Character Set"));
            jsonLines = jsonLines.stream()
                    .map(line -> new String(line.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8))
                    .toList();
        }

        assertThat(jsonLines).containsExactlyElementsOf(TreeLines.of(fromPart10.root()));
        // DICOM JSON is always UTF-8 (PS3.18 F.2): dcm2json declares ISO_IR 192 whatever the Part 10 file said
        assertThat(headerValues(fromJson.header(), "specificCharacterSet"))
                .containsExactlyEntriesOf(headerValues(fromPart10.header(), "specificCharacterSet"));
        assertThat(fromJson.codingSchemeUids()).isEqualTo(fromPart10.codingSchemeUids());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void variantGivesTheSameDocumentAsItsBaseFile(Path variant, Path base) throws Exception {
        SrDocument fromVariant = read(variant);
        SrDocument fromBase = read(base);

        assertThat(TreeLines.of(fromVariant.root())).containsExactlyElementsOf(TreeLines.of(fromBase.root()));
        assertThat(headerValues(fromVariant.header(), "specificCharacterSet"))
                .containsExactlyEntriesOf(headerValues(fromBase.header(), "specificCharacterSet"));
        assertThat(fromVariant.codingSchemeUids()).isEqualTo(fromBase.codingSchemeUids());
    }

    @Test
    void iso2022VariantDecodesTheJapaneseItsGeneratorWrote() throws Exception {
        SrDocument japanese = read(CORPUS.resolve("sr/gen_dcmjs-cs3d_ArrowAnnotate__iso2022jp.dcm"));
        SrDocument base = read(CORPUS.resolve("sr/gen_dcmjs-cs3d_ArrowAnnotate.dcm"));

        assertThat(japanese.header().specificCharacterSet()).isEqualTo("ISO 2022 IR 6\\ISO 2022 IR 87");
        assertThat(japanese.header().patient().name().toDicomString())
                .isEqualTo("Yamada^Tarou=山田^太郎=やまだ^たろう");
        assertThat(((ContentItem.PName) japanese.root().children().get(1)).name().alphabetic())
                .isEqualTo("鈴木^花子");
        assertThat(japanese.root().children().get(1).conceptName())
                .isEqualTo(base.root().children().get(1).conceptName());
        assertThat(TreeLines.of(japanese.root())).hasSameSizeAs(TreeLines.of(base.root()));
    }

    @Test
    void latin1AndUtf8VariantsReallyDifferInTheirEncoding() throws Exception {
        SrDocument latin1 = read(CORPUS.resolve("sr/gen_dcmtk-tid1500_ct_individual_latin1.dcm"));
        SrDocument utf8 = read(CORPUS.resolve("sr/gen_dcmtk-tid1500_ct_individual_latin1__utf8.dcm"));

        assertThat(latin1.header().specificCharacterSet()).isEqualTo("ISO_IR 100");
        assertThat(utf8.header().specificCharacterSet()).isEqualTo("ISO_IR 192");
        assertThat(TreeLines.of(latin1.root())).anyMatch(line -> line.codePoints().anyMatch(c -> c > 0x7F));
    }

    private SrDocument read(Path file) throws Exception {
        String name = file.getFileName().toString();
        return builder.build(reader.read(Files.readAllBytes(file), name), name);
    }

    private static Map<String, Object> headerValues(SrDocumentHeader header, String except) throws Exception {
        Map<String, Object> values = new LinkedHashMap<>();
        for (RecordComponent component : SrDocumentHeader.class.getRecordComponents()) {
            if (!component.getName().equals(except)) {
                values.put(component.getName(), component.getAccessor().invoke(header));
            }
        }
        return values;
    }

    private static List<Path> list(Path folder, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }
}
