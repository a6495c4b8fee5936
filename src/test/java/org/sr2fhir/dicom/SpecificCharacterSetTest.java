package org.sr2fhir.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One case per character set family, with the byte values of PS3.5 Annex H (Japanese), I (Korean), J/K (Chinese)
 * and the single-byte examples of PS3.5 §6.1 / the IHE character set tests. Expected strings are written here as
 * text; the hex was checked independently with Python's codecs.
 */
class SpecificCharacterSetTest {

    static Stream<Arguments> examples() {
        return Stream.of(
                Arguments.of("ISO_IR 100", "42 75 63 5e 4a e9 72 f4 6d 65", "Buc^Jérôme"),
                Arguments.of("ISO_IR 101", "57 61 b3 ea 73 61 5e a3 75 6b 61 73 7a", "Wałęsa^Łukasz"),
                Arguments.of("ISO_IR 144", "bb ee da e1 d5 dc d1 e3 e0 d3", "Люксембург"),
                Arguments.of("ISO_IR 126", "c4 e9 ef ed f5 f3 e9 ef f2", "Διονυσιος"),
                Arguments.of("ISO_IR 127", "e2 c8 c7 e6 ea 5e e4 e6 d2 c7 d1", "قباني^لنزار"),
                Arguments.of("ISO_IR 138", "f9 f8 e5 ef 5e e3 e1 e5 f8 e4", "שרון^דבורה"),
                Arguments.of("ISO_IR 148", "c7 61 f0 6c 61 72 5e de fc 6b 72 fc", "Çağlar^Şükrü"),
                Arguments.of("ISO_IR 166", "bb c3 d0 e0 b7 c8 e4 b7 c2", "ประเทศไทย"),
                Arguments.of("ISO_IR 192", "57 61 6e 67 5e 58 69 61 6f 44 6f 6e 67 3d e7 8e 8b 5e e5 b0 8f e6 9d b1 3d",
                        "Wang^XiaoDong=王^小東="),
                // PS3.5 J.3: GB18030
                Arguments.of("GB18030", "57 61 6e 67 5e 58 69 61 6f 44 6f 6e 67 3d cd f5 5e d0 a1 b6 ab 3d",
                        "Wang^XiaoDong=王^小东="),
                Arguments.of("GBK", "57 61 6e 67 5e 58 69 61 6f 44 6f 6e 67 3d cd f5 5e d0 a1 b6 ab 3d",
                        "Wang^XiaoDong=王^小东="),
                // PS3.5 H.3.1: ISO 2022 IR 87 (JIS X 0208), three component groups
                Arguments.of("\\ISO 2022 IR 87", "59 61 6d 61 64 61 5e 54 61 72 6f 75 3d 1b 24 42 3b 33 45 44 1b 28 42"
                        + " 5e 1b 24 42 42 40 4f 3a 1b 28 42 3d 1b 24 42 24 64 24 5e 24 40 1b 28 42 5e 1b 24 42 24 3f"
                        + " 24 6d 24 26 1b 28 42", "Yamada^Tarou=山田^太郎=やまだ^たろう"),
                // PS3.5 H.3.2: ISO 2022 IR 13 (JIS X 0201 katakana in G1, romaji in G0) with IR 87
                Arguments.of("ISO 2022 IR 13\\ISO 2022 IR 87", "d4 cf c0 de 5e c0 db b3 3d 1b 24 42 3b 33 45 44 1b"
                        + " 28 4a 5e 1b 24 42 42 40 4f 3a 1b 28 4a 3d 1b 24 42 24 64 24 5e 24 40 1b 28 4a 5e 1b 24 42"
                        + " 24 3f 24 6d 24 26 1b 28 4a", "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう"),
                // JIS X 0212 (ISO 2022 IR 159): U+4E02 is row 16 cell 1 (0x30 0x21)
                Arguments.of("\\ISO 2022 IR 87\\ISO 2022 IR 159", "41 1b 24 28 44 30 21 1b 28 42 42", "A丂B"),
                // PS3.5 I.2: ISO 2022 IR 149 (KS X 1001 in G1), designated again after each PN delimiter
                Arguments.of("\\ISO 2022 IR 149", "48 6f 6e 67 5e 47 69 6c 64 6f 6e 67 3d 1b 24 29 43 fb f3 5e 1b 24 29"
                        + " 43 d1 ce d4 d7 3d 1b 24 29 43 c8 ab 5e 1b 24 29 43 b1 e6 b5 bf", "Hong^Gildong=洪^吉洞=홍^길동"),
                // PS3.5 K.2: ISO 2022 IR 58 (GB 2312 in G1)
                Arguments.of("\\ISO 2022 IR 58", "5a 68 61 6e 67 5e 58 69 61 6f 44 6f 6e 67 3d 1b 24 29 41 d5 c5 5e 1b"
                        + " 24 29 41 d0 a1 b6 ab 3d 20", "Zhang^XiaoDong=张^小东="),
                // ISO 2022 IR 100 as value 1: Latin-1 in G1 from the start, no escape needed
                Arguments.of("ISO 2022 IR 100", "42 75 63 5e 4a e9 72 f4 6d 65", "Buc^Jérôme"),
                // the common slip "ISO_IR 100" as value 1 of a code-extension set is read as ISO 2022 IR 100
                Arguments.of("ISO_IR 100\\ISO 2022 IR 87", "e9 1b 24 42 3b 33 1b 28 42", "é山"),
                // a switch to Cyrillic (ESC - L) from Latin-1 within one value
                Arguments.of("ISO 2022 IR 100\\ISO 2022 IR 144", "e9 1b 2d 4c bb ee 1b 2d 41 e9", "éЛюé"));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("examples")
    void decodesPersonNamesOfEachFamily(String specificCharacterSet, String hex, String expected) {
        List<String> warnings = new ArrayList<>();
        SpecificCharacterSet charset = SpecificCharacterSet.of(List.of(specificCharacterSet.split("\\\\", -1)),
                warnings::add);

        byte[] bytes = HexFormat.ofDelimiter(" ").parseHex(hex);
        assertThat(ValueDecoder.strings(VR.PN, bytes, 0, bytes.length, charset, warnings::add))
                .containsExactly(expected);
        assertThat(warnings).isEmpty();
    }

    @Test
    void resetsToTheInitialSetAtLineEndsAndValueDelimiters() {
        SpecificCharacterSet japanese = SpecificCharacterSet.of(List.of("", "ISO 2022 IR 87"), w -> { });
        // "山" in JIS X 0208, then CR LF with no ESC ( B: the next line starts in ASCII again (PS3.5 §6.1.2.5.3)
        byte[] text = HexFormat.ofDelimiter(" ").parseHex("1b 24 42 3b 33 0d 0a 41");
        assertThat(ValueDecoder.strings(VR.LT, text, 0, text.length, japanese, w -> { })).containsExactly("山\r\nA");

        // in JIS X 0208, 0x5C is half of a character, not a value delimiter: "\" splits only in ASCII
        byte[] values = HexFormat.ofDelimiter(" ").parseHex("1b 24 42 30 5c 1b 28 42 5c 42");
        assertThat(ValueDecoder.strings(VR.LO, values, 0, values.length, japanese, w -> { }))
                .containsExactly("移", "B");
    }

    @Test
    void gbkSecondByte5cIsNotAValueDelimiter() {
        SpecificCharacterSet gbk = SpecificCharacterSet.of(List.of("GBK"), w -> { });
        byte[] bytes = HexFormat.ofDelimiter(" ").parseHex("81 5c 5c 41"); // U+4E57 is 81 5C in GBK
        assertThat(ValueDecoder.strings(VR.LO, bytes, 0, bytes.length, gbk, w -> { })).containsExactly("乗", "A");
    }

    @Test
    void undeclaredUtf8IsDecodedAsUtf8WithAWarning() {
        List<String> warnings = new ArrayList<>();
        byte[] degree = {(byte) 0xC2, (byte) 0xB0};
        assertThat(ValueDecoder.strings(VR.LO, degree, 0, 2, SpecificCharacterSet.UNDECLARED, warnings::add))
                .containsExactly("°");
        assertThat(warnings).singleElement().asString().contains("UTF-8");
    }

    @Test
    void undeclaredLatin1IsDecodedAsIsoIr100WithAWarning() {
        List<String> warnings = new ArrayList<>();
        byte[] latin1 = {'J', (byte) 0xE9, 'r', (byte) 0xF4, 'm', 'e'};
        assertThat(ValueDecoder.strings(VR.LO, latin1, 0, latin1.length, SpecificCharacterSet.UNDECLARED,
                warnings::add)).containsExactly("Jérôme");
        assertThat(warnings).singleElement().asString().contains("ISO_IR 100");
    }

    @Test
    void unknownTermIsReported() {
        List<String> warnings = new ArrayList<>();
        SpecificCharacterSet.of(List.of("ISO_IR 999"), warnings::add);
        assertThat(warnings).singleElement().asString().contains("ISO_IR 999");
    }

    @Test
    void vrsOutsideTheCharacterSetAreNotDecodedWithIt() {
        SpecificCharacterSet japanese = SpecificCharacterSet.of(List.of("", "ISO 2022 IR 87"), w -> { });
        byte[] code = "ABC\\DEF ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(ValueDecoder.strings(VR.CS, code, 0, code.length, japanese, w -> { }))
                .containsExactly("ABC", "DEF");
    }
}
