package org.sr2fhir.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The DICOM JSON (PS3.18 Annex F) side of {@link DicomReader}. */
class DicomJsonReaderTest {
    private final DicomReader reader = new DicomReader();

    private DicomDataset read(String json) throws DicomReadException {
        return reader.read(json.getBytes(StandardCharsets.UTF_8), "t.json");
    }

    @Test
    void readsEveryValueForm() throws Exception {
        DicomDataset dataset = read("""
                {
                  "00080018": {"vr": "UI", "Value": ["1.2.3"]},
                  "00100010": {"vr": "PN", "Value": [{"Alphabetic": "Yamada^Tarou", "Ideographic": "山田^太郎",
                                                      "Phonetic": "やまだ^たろう"}]},
                  "0040a30a": {"vr": "DS", "Value": [3.111220E+04, "-0.50"]},
                  "00200013": {"vr": "IS", "Value": [7]},
                  "0040A161": {"vr": "FD", "Value": [0.1, 2]},
                  "00280010": {"vr": "US", "Value": [65535]},
                  "00209165": {"vr": "AT", "Value": ["0040A730"]},
                  "00660016": {"vr": "OW", "InlineBinary": "AQI="},
                  "00700022": {"vr": "FL", "InlineBinary": "AACAPw=="},
                  "00091001": {"vr": "OB", "BulkDataURI": "http://example.org/bulk/1"},
                  "00080050": {"vr": "SH"},
                  "0040A730": {"vr": "SQ", "Value": [{"0040A040": {"vr": "CS", "Value": ["NUM"]}}]}
                }
                """);
        assertThat(dataset.getString(Tag.SOPInstanceUID)).isEqualTo("1.2.3");
        assertThat(dataset.getString(Tag.PatientName)).isEqualTo("Yamada^Tarou=山田^太郎=やまだ^たろう");
        // DS numbers: BigDecimal.toString of the number as written, exact (D13); DS strings verbatim
        assertThat(dataset.getStrings(Tag.NumericValue)).containsExactly("31112.20", "-0.50");
        assertThat(dataset.getDecimals(Tag.NumericValue).get(0)).isEqualByComparingTo(new BigDecimal("3.111220E+04"));
        assertThat(dataset.getLong(Tag.InstanceNumber)).isEqualTo(7);
        assertThat(dataset.getDoubles(Tag.FloatingPointValue)).containsExactly(0.1, 2.0);
        assertThat(dataset.getLongs(0x00280010)).containsExactly(65535);
        assertThat((int[]) dataset.get(0x00209165).value()).containsExactly(Tag.ContentSequence);
        assertThat(dataset.getBytes(0x00660016)).containsExactly(1, 2);
        assertThat(dataset.getDoubles(Tag.GraphicData)).containsExactly(1.0);
        assertThat(dataset.get(0x00091001).value()).isEqualTo(new DicomElement.BulkData("http://example.org/bulk/1"));
        assertThat(dataset.contains(Tag.AccessionNumber)).isTrue();
        assertThat(dataset.hasValue(Tag.AccessionNumber)).isFalse();
        assertThat(dataset.getItem(Tag.ContentSequence).getString(Tag.ValueType)).isEqualTo("NUM");
        assertThat(dataset.warnings()).isEmpty();
    }

    @Test
    void toleratesABareValueWhereAnArrayBelongsWithAWarning() throws Exception {
        // the IG's own example writes (0008,0050) this way (Example-MeasurementReport.json)
        DicomDataset dataset = read("{\"00080050\": {\"vr\": \"SH\", \"Value\": \"ACC123\"}}");
        assertThat(dataset.getString(Tag.AccessionNumber)).isEqualTo("ACC123");
        assertThat(dataset.warnings()).singleElement().asString().contains("(0008,0050)").contains("not an array");
    }

    @Test
    void theIgExampleReadsWithItsWarning() throws Exception {
        DicomDataset example = Corpus.read(Corpus.ROOT.resolve(
                "json/nonconformant/ext_hl7-dicom-sr_Example-MeasurementReport.json"));
        assertThat(example.hasValue(Tag.AccessionNumber)).isTrue();
        assertThat(example.warnings()).anyMatch(w -> w.contains("(0008,0050)"));
    }

    @Test
    void acceptsATopLevelArrayOfOneDataset() throws Exception {
        assertThat(read("[{\"00080018\": {\"vr\": \"UI\", \"Value\": [\"1.2\"]}}]").getString(Tag.SOPInstanceUID))
                .isEqualTo("1.2");
        assertThatThrownBy(() -> read("[{}, {}]")).isInstanceOf(DicomReadException.class)
                .hasMessageContaining("holds 2 datasets");
    }

    @Test
    void rejectsMalformedJsonCleanly() {
        assertThatThrownBy(() -> read("{\"00080018\": {\"vr\": \"UI\", \"Value\": [\"1.2\"")).isInstanceOf(
                DicomReadException.class).hasMessageStartingWith("t.json: invalid DICOM JSON at line 1");
        assertThatThrownBy(() -> read("{\"PatientName\": {\"vr\": \"PN\"}}")).isInstanceOf(DicomReadException.class)
                .hasMessageContaining("invalid tag key 'PatientName'");
        assertThatThrownBy(() -> read("{\"00100010\": {\"vr\": \"XX\"}}")).isInstanceOf(DicomReadException.class)
                .hasMessageContaining("invalid vr 'XX'");
        assertThatThrownBy(() -> read("{\"00280010\": {\"vr\": \"US\", \"Value\": [\"many\"]}}"))
                .isInstanceOf(DicomReadException.class).hasMessageContaining("$.00280010.Value[0]");
        assertThatThrownBy(() -> read("{\"00660016\": {\"vr\": \"OW\", \"InlineBinary\": \"!!\"}}"))
                .isInstanceOf(DicomReadException.class).hasMessageContaining("not base64");
    }

    @Test
    void rejectsNestingDeeperThanTheLimit() {
        String json = "{\"00080018\": {\"vr\": \"UI\", \"Value\": [\"1\"]}}";
        for (int level = 0; level < 100; level++) {
            json = "{\"0040A730\": {\"vr\": \"SQ\", \"Value\": [" + json + "]}}";
        }
        String deep = json;
        assertThatThrownBy(() -> read(deep)).isInstanceOf(DicomReadException.class).hasMessageContaining("t.json");
    }
}
