package org.sr2fhir.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.zip.Deflater;

import org.junit.jupiter.api.Test;

/** The binary reader on hand-made datasets: structures, transfer syntaxes, value decoding and hostile input. */
class DicomReaderTest {
    private static final int PRIVATE_CREATOR = 0x00090010;
    private static final int PRIVATE_VALUE = 0x00091001;
    private static final int PIXEL_DATA = 0x7FE00010;
    private static final int GROUP_LENGTH_0008 = 0x00080000;
    private static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";

    private final DicomReader reader = new DicomReader();

    /** A small SR-like dataset: header strings, then a content sequence with one item, then a trailing element. */
    private static byte[] contentTree(Supplier<DatasetBytes> style, boolean undefinedLengths) {
        DatasetBytes out = style.get()
                .text(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100")
                .text(Tag.SOPInstanceUID, VR.UI, "1.2.3.4.5")
                .text(Tag.PatientName, VR.PN, "Müller^Jürgen", StandardCharsets.ISO_8859_1);
        byte[] item = style.get().text(Tag.RelationshipType, VR.CS, "CONTAINS")
                .text(Tag.ValueType, VR.CS, "NUM")
                .text(Tag.NumericValue, VR.DS, "3.111220E+04\\-0.5").toBytes();
        if (undefinedLengths) {
            out.header(Tag.ContentSequence, VR.SQ, DatasetBytes.UNDEFINED).item(DatasetBytes.UNDEFINED)
                    .raw(item).itemDelimiter().sequenceDelimiter();
        } else {
            out.header(Tag.ContentSequence, VR.SQ, item.length + 8L).item(item.length).raw(item);
        }
        return out.text(0x0040A496, VR.CS, "FINAL").toBytes(); // (0040,A496) Preliminary Flag, after the sequence
    }

    private static void assertContentTree(DicomDataset dataset) {
        assertThat(dataset.getString(Tag.SOPInstanceUID)).isEqualTo("1.2.3.4.5");
        assertThat(dataset.getString(Tag.PatientName)).isEqualTo("Müller^Jürgen");
        assertThat(dataset.getSequence(Tag.ContentSequence)).singleElement().satisfies(item -> {
            assertThat(item.getString(Tag.ValueType)).isEqualTo("NUM");
            assertThat(item.getStrings(Tag.NumericValue)).containsExactly("3.111220E+04", "-0.5"); // exact (D13)
        });
        assertThat(dataset.getString(Tag.PreliminaryFlag)).isEqualTo("FINAL");
    }

    @Test
    void readsExplicitLittleEndianWithDefinedAndUndefinedLengths() throws Exception {
        for (boolean undefined : new boolean[] {false, true}) {
            byte[] file = DatasetBytes.part10(DicomReader.EXPLICIT_VR_LITTLE_ENDIAN,
                    contentTree(DatasetBytes::explicitLittleEndian, undefined));
            DicomDataset dataset = reader.read(file, "t.dcm");
            assertContentTree(dataset);
            assertThat(dataset.getString(Tag.TransferSyntaxUID)).isEqualTo(DicomReader.EXPLICIT_VR_LITTLE_ENDIAN);
            assertThat(dataset.warnings()).isEmpty();
        }
    }

    @Test
    void readsImplicitLittleEndianWithVrsFromTheDictionary() throws Exception {
        byte[] file = DatasetBytes.part10(DicomReader.IMPLICIT_VR_LITTLE_ENDIAN,
                contentTree(DatasetBytes::implicitLittleEndian, true));
        DicomDataset dataset = reader.read(file, "t.dcm");
        assertContentTree(dataset);
        assertThat(dataset.get(Tag.PatientName).vr()).isEqualTo(VR.PN);
        assertThat(dataset.get(Tag.ContentSequence).vr()).isEqualTo(VR.SQ);
    }

    @Test
    void readsExplicitBigEndian() throws Exception {
        DatasetBytes out = DatasetBytes.explicitBigEndian();
        byte[] dataset = out.raw(contentTree(DatasetBytes::explicitBigEndian, false))
                .element(0x00280010, VR.US, out.shorts(0xFFFE)) // Rows
                .element(0x00209165, VR.AT, out.shorts(0x0040, 0xA730)) // Dimension Index Pointer
                .element(Tag.FloatingPointValue, VR.FD, out.doubles(-2.5))
                .element(0x00660016, VR.OW, out.shorts(0x0102)) // a word in big endian
                .toBytes();
        DicomDataset read = reader.read(DatasetBytes.part10(DicomReader.EXPLICIT_VR_BIG_ENDIAN, dataset), "t.dcm");
        assertContentTree(read);
        assertThat(read.getLongs(0x00280010)).containsExactly(0xFFFE);
        assertThat((int[]) read.get(0x00209165).value()).containsExactly(Tag.ContentSequence);
        assertThat(read.getDoubles(Tag.FloatingPointValue)).containsExactly(-2.5);
        assertThat(read.getBytes(0x00660016)).containsExactly(0x02, 0x01); // OW is held little endian
    }

    @Test
    void readsDeflatedExplicitLittleEndianAndStopsAtTheInflatedLimit() throws Exception {
        byte[] plain = contentTree(DatasetBytes::explicitLittleEndian, true);
        byte[] file = DatasetBytes.part10(DicomReader.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, deflate(plain));
        assertContentTree(reader.read(file, "t.dcm"));

        DicomReader strict = new DicomReader(new ReadLimits(1 << 20, plain.length - 1, 64, 1000));
        assertThatThrownBy(() -> strict.read(file, "bomb.dcm")).isInstanceOf(DicomReadException.class)
                .hasMessageContaining("bomb.dcm").hasMessageContaining("inflates to more than");
    }

    private static byte[] deflate(byte[] plain) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(plain);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[1024];
        while (!deflater.finished()) {
            out.write(chunk, 0, deflater.deflate(chunk));
        }
        deflater.end();
        return out.toByteArray();
    }

    @Test
    void readsABareDatasetWithoutPreambleGuessingTheEncoding() throws Exception {
        assertContentTree(reader.read(contentTree(DatasetBytes::implicitLittleEndian, false), "bare-implicit"));
        assertContentTree(reader.read(contentTree(DatasetBytes::explicitLittleEndian, true), "bare-explicit"));
        assertContentTree(reader.read(contentTree(DatasetBytes::explicitBigEndian, true), "bare-big-endian"));
    }

    @Test
    void readsImplicitVrWrittenUnderAnExplicitTransferSyntaxWithAWarning() throws Exception {
        byte[] file = DatasetBytes.part10(DicomReader.EXPLICIT_VR_LITTLE_ENDIAN,
                contentTree(DatasetBytes::implicitLittleEndian, true));
        DicomDataset dataset = reader.read(file, "t.dcm");
        assertContentTree(dataset);
        assertThat(dataset.warnings()).anyMatch(w -> w.contains("implicit VR"));
    }

    @Test
    void keepsPrivateElementsAndIgnoresGroupLengths() throws Exception {
        DatasetBytes out = DatasetBytes.implicitLittleEndian();
        byte[] dataset = out.element(GROUP_LENGTH_0008, VR.UL, out.ints(10))
                .text(Tag.SOPInstanceUID, VR.UI, "1.2.3")
                .text(PRIVATE_CREATOR, VR.LO, "ACME 1.0")
                .element(PRIVATE_VALUE, VR.UN, new byte[] {1, 2, 3, 4})
                .toBytes();
        DicomDataset read = reader.read(dataset, "t.dcm");
        assertThat(read.contains(GROUP_LENGTH_0008)).isFalse();
        assertThat(read.getString(PRIVATE_CREATOR)).isEqualTo("ACME 1.0");
        assertThat(read.get(PRIVATE_VALUE).vr()).isEqualTo(VR.UN);
        assertThat(read.getBytes(PRIVATE_VALUE)).containsExactly(1, 2, 3, 4);
    }

    @Test
    void readsUnOfUndefinedLengthAsAnImplicitVrSequence() throws Exception {
        byte[] item = DatasetBytes.implicitLittleEndian().text(Tag.CodeValue, VR.SH, "121071").toBytes();
        byte[] dataset = DatasetBytes.explicitLittleEndian().text(Tag.SOPInstanceUID, VR.UI, "1.2.3")
                .header(0x00091010, VR.UN, DatasetBytes.UNDEFINED).item(item.length).raw(item).sequenceDelimiter()
                .toBytes();
        DicomDataset read = reader.read(DatasetBytes.part10(DicomReader.EXPLICIT_VR_LITTLE_ENDIAN, dataset), "t");
        assertThat(read.getSequence(0x00091010)).singleElement()
                .satisfies(i -> assertThat(i.getString(Tag.CodeValue)).isEqualTo("121071"));
    }

    @Test
    void readsTheMetadataOfEncapsulatedSyntaxesSkippingPixelFragments() throws Exception {
        DatasetBytes out = DatasetBytes.explicitLittleEndian();
        byte[] dataset = out.raw(contentTree(DatasetBytes::explicitLittleEndian, false))
                .header(PIXEL_DATA, VR.OB, DatasetBytes.UNDEFINED)
                .item(0).item(6).raw(new byte[] {(byte) 0xFF, (byte) 0xD8, 0, 0, (byte) 0xFF, (byte) 0xD9})
                .sequenceDelimiter()
                .toBytes();
        DicomDataset read = reader.read(DatasetBytes.part10(JPEG_BASELINE, dataset), "t.dcm");
        assertContentTree(read);
        assertThat(read.contains(PIXEL_DATA)).isFalse();
    }

    @Test
    void decodesNumericVrs() throws Exception {
        DatasetBytes out = DatasetBytes.explicitLittleEndian();
        byte[] dataset = out.element(0x00181310, VR.US, out.shorts(0xFFFF, 1)) // Acquisition Matrix
                .element(0x00209057, VR.UL, out.ints(0xFFFFFFFF))
                .element(0x00283002, VR.SS, out.shorts(-1))
                .element(0x00186020, VR.SL, out.ints(-70000))
                .element(0x00209157, VR.FL, out.floats(0.1f))
                .element(Tag.FloatingPointValue, VR.FD, out.doubles(1e-300, 42))
                .toBytes();
        DicomDataset read = reader.read(dataset, "t");
        assertThat(read.getLongs(0x00181310)).containsExactly(65535, 1);
        assertThat(read.getLongs(0x00209057)).containsExactly(4294967295L);
        assertThat(read.getLongs(0x00283002)).containsExactly(-1);
        assertThat(read.getLongs(0x00186020)).containsExactly(-70000);
        assertThat(read.getDoubles(0x00209157)).containsExactly((double) 0.1f);
        assertThat(read.getDoubles(Tag.FloatingPointValue)).containsExactly(1e-300, 42);
    }

    @Test
    void trimsPaddingPerVr() throws Exception {
        byte[] dataset = DatasetBytes.explicitLittleEndian()
                .element(Tag.SOPInstanceUID, VR.UI, "1.2.3\0".getBytes(StandardCharsets.US_ASCII))
                .element(Tag.CodeMeaning, VR.LO, " Lesion \\ Mass ".getBytes(StandardCharsets.US_ASCII))
                .element(Tag.TextValue, VR.UT, "  indented  ".getBytes(StandardCharsets.US_ASCII))
                .element(Tag.AccessionNumber, VR.SH, "  ".getBytes(StandardCharsets.US_ASCII))
                .toBytes();
        DicomDataset read = reader.read(dataset, "t");
        assertThat(read.getStrings(Tag.SOPInstanceUID)).containsExactly("1.2.3");
        assertThat(read.getStrings(Tag.CodeMeaning)).containsExactly("Lesion", "Mass");
        assertThat(read.getStrings(Tag.TextValue)).containsExactly("  indented"); // leading spaces are text in UT
        assertThat(read.hasValue(Tag.AccessionNumber)).isFalse();
    }

    @Test
    void appliesAnItemsOwnCharacterSetOnlyInsideThatItem() throws Exception {
        byte[] item = DatasetBytes.explicitLittleEndian().text(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192")
                .text(Tag.CodeMeaning, VR.LO, "Lésion", StandardCharsets.UTF_8).toBytes();
        byte[] inherited = DatasetBytes.explicitLittleEndian()
                .text(Tag.CodeMeaning, VR.LO, "Lésion", StandardCharsets.ISO_8859_1).toBytes();
        byte[] dataset = DatasetBytes.explicitLittleEndian().text(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100")
                .header(Tag.ConceptNameCodeSequence, VR.SQ, item.length + inherited.length + 16L)
                .item(item.length).raw(item).item(inherited.length).raw(inherited)
                .text(Tag.StudyDescription, VR.LO, "Étude", StandardCharsets.ISO_8859_1)
                .toBytes();
        DicomDataset read = reader.read(dataset, "t");
        assertThat(read.getSequence(Tag.ConceptNameCodeSequence)).extracting(i -> i.getString(Tag.CodeMeaning))
                .containsExactly("Lésion", "Lésion");
        assertThat(read.getString(Tag.StudyDescription)).isEqualTo("Étude");
        assertThat(read.warnings()).isEmpty();
    }

    @Test
    void toleratesOddLengthsWithAWarning() throws Exception {
        byte[] dataset = DatasetBytes.explicitLittleEndian()
                .element(Tag.SOPInstanceUID, VR.UI, "1.2.3".getBytes(StandardCharsets.US_ASCII)).toBytes();
        DicomDataset read = reader.read(dataset, "t");
        assertThat(read.getString(Tag.SOPInstanceUID)).isEqualTo("1.2.3");
        assertThat(read.warnings()).singleElement().asString()
                .isEqualTo("1 element(s) with an odd value length, the first (0008,0018) (length 5) at byte offset 0");
    }

    @Test
    void readsExplicitVrWrittenUnderTheImplicitTransferSyntaxWithAWarning() throws Exception {
        byte[] file = DatasetBytes.part10(DicomReader.IMPLICIT_VR_LITTLE_ENDIAN,
                contentTree(DatasetBytes::explicitLittleEndian, false));
        DicomDataset dataset = reader.read(file, "t.dcm");
        assertContentTree(dataset);
        assertThat(dataset.warnings()).anyMatch(w -> w.contains("says implicit VR but the dataset is explicit VR"));
    }

    @Test
    void decodesAStandardElementWrittenAsUnWithItsDictionaryVr() throws Exception {
        byte[] dataset = DatasetBytes.explicitLittleEndian()
                .element(Tag.CodeMeaning, VR.UN, "Diameter".getBytes(StandardCharsets.US_ASCII)).toBytes();
        DicomDataset read = reader.read(dataset, "t");
        assertThat(read.get(Tag.CodeMeaning).vr()).isEqualTo(VR.LO);
        assertThat(read.getString(Tag.CodeMeaning)).isEqualTo("Diameter");
        assertThat(read.warnings()).anyMatch(w -> w.contains("(0008,0104) written as UN"));
    }

    @Test
    void readsAnUnknownVrAsUnAndRejectsGarbageVrs() throws Exception {
        byte[] future = DatasetBytes.explicitLittleEndian().raw(new byte[] {0x09, 0, 0x01, 0x10, 'Z', 'Z', 0, 0, 2, 0,
            0, 0, 7, 8}).text(Tag.SOPInstanceUID, VR.UI, "1.2").toBytes();
        DicomDataset read = reader.read(future, "t");
        assertThat(read.getBytes(PRIVATE_VALUE)).containsExactly(7, 8);
        assertThat(read.getString(Tag.SOPInstanceUID)).isEqualTo("1.2");
        assertThat(read.warnings()).anyMatch(w -> w.contains("unknown VR 'ZZ'"));

        byte[] garbage = DatasetBytes.explicitLittleEndian().text(Tag.SOPInstanceUID, VR.UI, "1.2")
                .raw(new byte[] {0x10, 0, 0x10, 0, 'P', 0x01, 0, 0}).toBytes();
        assertThatThrownBy(() -> reader.read(garbage, "g.dcm")).isInstanceOf(DicomReadException.class)
                .hasMessageContaining("invalid VR 'P\\x01' (element (0010,0010) at byte offset 12)");
    }

    @Test
    void toleratesZeroPaddingAfterTheDataset() throws Exception {
        byte[] dataset = DatasetBytes.explicitLittleEndian().text(Tag.SOPInstanceUID, VR.UI, "1.2")
                .raw(new byte[10]).toBytes();
        DicomDataset read = reader.read(DatasetBytes.part10(DicomReader.EXPLICIT_VR_LITTLE_ENDIAN, dataset), "t");
        assertThat(read.getString(Tag.SOPInstanceUID)).isEqualTo("1.2");
        assertThat(read.warnings()).singleElement().asString().startsWith("10 zero bytes of padding");
    }

    @Test
    void rejectsALengthBeyondTheEndNamingSourceOffsetAndTag() {
        DatasetBytes out = DatasetBytes.explicitLittleEndian().text(Tag.SOPInstanceUID, VR.UI, "1.2.3");
        int offset = out.size();
        byte[] dataset = out.header(Tag.TextValue, VR.UT, 0x7FFFFFF0L).raw(new byte[10]).toBytes();
        assertThatThrownBy(() -> reader.read(dataset, "huge.dcm")).isInstanceOf(DicomReadException.class)
                .hasMessageStartingWith("huge.dcm: value length 2147483632 exceeds the 10 bytes left")
                .hasMessageContaining("(0040,A160)").hasMessageContaining("offset " + offset);
    }

    @Test
    void rejectsNestingDeeperThanTheLimit() {
        byte[] nested = DatasetBytes.explicitLittleEndian().text(Tag.CodeValue, VR.SH, "1").toBytes();
        for (int level = 0; level < 100; level++) {
            nested = DatasetBytes.explicitLittleEndian().header(Tag.ContentSequence, VR.SQ, DatasetBytes.UNDEFINED)
                    .item(DatasetBytes.UNDEFINED).raw(nested).itemDelimiter().sequenceDelimiter().toBytes();
        }
        byte[] dataset = nested;
        assertThatThrownBy(() -> reader.read(dataset, "deep.dcm")).isInstanceOf(DicomReadException.class)
                .hasMessageContaining("nested deeper than 64 levels");
    }

    @Test
    void rejectsMoreElementsThanTheLimit() {
        DatasetBytes out = DatasetBytes.explicitLittleEndian();
        for (int i = 0; i < 20; i++) {
            out.text(0x00091000 + i, VR.LO, "x");
        }
        byte[] dataset = out.toBytes();
        DicomReader strict = new DicomReader(new ReadLimits(1 << 20, 1 << 20, 64, 10));
        assertThatThrownBy(() -> strict.read(dataset, "many.dcm")).isInstanceOf(DicomReadException.class)
                .hasMessageContaining("more than 10 data elements");
    }

    @Test
    void rejectsInputOverTheSizeLimitBeforeReadingIt() {
        DicomReader strict = new DicomReader(new ReadLimits(100, 100, 64, 10));
        assertThatThrownBy(() -> strict.read(new byte[101], "big.dcm")).isInstanceOf(DicomReadException.class)
                .hasMessageContaining("exceeds the limit of 100 bytes");
    }

    @Test
    void rejectsAnItemWithoutDelimiter() {
        byte[] item = DatasetBytes.explicitLittleEndian().text(Tag.CodeValue, VR.SH, "1").toBytes();
        byte[] dataset = DatasetBytes.explicitLittleEndian().header(Tag.ContentSequence, VR.SQ, DatasetBytes.UNDEFINED)
                .item(DatasetBytes.UNDEFINED).raw(item).toBytes();
        assertThatThrownBy(() -> reader.read(dataset, "cut.dcm")).isInstanceOf(DicomReadException.class)
                .hasMessageContaining("no Item Delimitation Item");
    }

    @Test
    void rejectsWhatIsNotDicom() {
        assertThatThrownBy(() -> reader.read("<xml>not dicom</xml>".getBytes(StandardCharsets.US_ASCII), "x.xml"))
                .isInstanceOf(DicomReadException.class).hasMessageContaining("not DICOM");
        assertThatThrownBy(() -> reader.read(new byte[0], "empty")).isInstanceOf(DicomReadException.class);
    }
}
