package org.sr2fhir.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus variants made by re-encoding a base file (MANIFEST.md: same SOP Instance UID) read into the same
 * dataset as their base: transfer syntaxes (__implicitVR, __deflated, __bigendian) and character sets (__utf8).
 * The __iso2022jp variant also replaces some text with Japanese (generators/make_iso2022_variant.py): it must
 * decode to exactly the strings the generator wrote, and equal its base everywhere else.
 */
class EncodingVariantTest {
    private static final List<String> TRANSFER_SYNTAX_VARIANTS = List.of("__implicitVR", "__deflated", "__bigendian");
    private static final List<String> CHARACTER_SET_VARIANTS = List.of("__utf8");

    static Stream<Path> transferSyntaxVariants() {
        return variants(TRANSFER_SYNTAX_VARIANTS);
    }

    static Stream<Path> characterSetVariants() {
        return variants(CHARACTER_SET_VARIANTS);
    }

    private static Stream<Path> variants(List<String> suffixes) {
        return Corpus.part10Reports().stream()
                .filter(file -> suffixes.stream().anyMatch(s -> Corpus.name(file).endsWith(s + ".dcm")));
    }

    private static Path base(Path variant) {
        return variant.resolveSibling(Corpus.name(variant).replaceFirst("__[A-Za-z0-9]+\\.dcm$", ".dcm"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transferSyntaxVariants")
    void transferSyntaxVariantHasTheValuesOfItsBase(Path variant) {
        DicomDataset base = Corpus.read(base(variant));
        DicomDataset reencoded = Corpus.read(variant);

        // implicit VR knows VRs only from the dictionary, so only values are compared; the others must match VRs too
        List<String> differences = Corpus.name(variant).contains("__implicitVR")
                ? DatasetDiff.ofValues(base, reencoded)
                : DatasetDiff.of(base, reencoded);
        assertThat(differences).isEmpty();
        assertThat(reencoded.getString(Tag.TransferSyntaxUID)).isNotEqualTo(base.getString(Tag.TransferSyntaxUID));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("characterSetVariants")
    void characterSetVariantDecodesToTheStringsOfItsBase(Path variant) {
        DicomDataset base = Corpus.read(base(variant));
        DicomDataset reencoded = Corpus.read(variant);

        assertThat(DatasetDiff.of(base, reencoded)).isEmpty();
        assertThat(reencoded.getStrings(Tag.SpecificCharacterSet))
                .isNotEqualTo(base.getStrings(Tag.SpecificCharacterSet));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("characterSetVariants")
    void characterSetVariantsHoldNonAsciiText(Path variant) {
        // guards the test above: a variant whose text were all ASCII would prove nothing about decoding
        assertThat(strings(Corpus.read(variant))).anyMatch(text -> text.chars().anyMatch(c -> c > 0x7F));
    }

    private static Stream<String> strings(DicomDataset dataset) {
        return dataset.elements().stream().flatMap(e -> e.vr() == VR.SQ
                ? e.items().stream().flatMap(EncodingVariantTest::strings)
                : e.strings().stream());
    }

    @Test
    void iso2022JapaneseVariantDecodesToTheGeneratorsStrings() {
        Path variant = Corpus.ROOT.resolve("sr/gen_dcmjs-cs3d_ArrowAnnotate__iso2022jp.dcm");
        DicomDataset base = Corpus.read(base(variant));
        DicomDataset japanese = Corpus.read(variant);

        // the values make_iso2022_variant.py sets (PS3.5 Annex H's own example name for the patient)
        assertThat(japanese.getStrings(Tag.SpecificCharacterSet)).containsExactly("ISO 2022 IR 6", "ISO 2022 IR 87");
        assertThat(japanese.getString(Tag.PatientName)).isEqualTo("Yamada^Tarou=山田^太郎=やまだ^たろう");
        assertThat(japanese.getString(Tag.SeriesDescription)).isEqualTo("計測レポート");
        assertThat(japanese.getSequence(Tag.ContentSequence).get(1).getString(Tag.PersonName)).isEqualTo("鈴木^花子");
        assertThat(DatasetDiff.of(base, japanese)).hasSize(3)
                .allMatch(d -> d.startsWith("(0008,103E)") || d.startsWith("(0010,0010)")
                        || d.startsWith("(0040,A730)[1](0040,A123)"));
        assertThat(japanese.warnings()).isEmpty();
    }
}
