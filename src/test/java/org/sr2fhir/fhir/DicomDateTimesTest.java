package org.sr2fhir.fhir;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/** DICOM DA/TM/DT → FHIR date-times (decision D8). */
class DicomDateTimesTest {

    @ParameterizedTest(name = "{0} {1} in {2} -> {3}")
    @CsvSource(nullValues = "-", value = {
            "20190323, 082428, UTC, 2019-03-23T08:24:28+00:00",
            "20190323, 0824, UTC, 2019-03-23T08:24:00+00:00",
            "20190323, 08, +05:30, 2019-03-23T08:00:00+05:30",
            "20190323, 082428.123, Europe/Berlin, 2019-03-23T08:24:28.123+01:00",
            "20190323, 08:24:28, UTC, 2019-03-23T08:24:28+00:00",
            "20190323, -, UTC, 2019-03-23T00:00:00+00:00"})
    void dateAndTime(String da, String tm, String zone, String expected) {
        assertThat(DicomDateTimes.format(DicomDateTimes.of(da, tm, ZoneId.of(zone)))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "20240101235959+0100, 2024-01-01T23:59:59+01:00",
            "20240101235959.5-0500, 2024-01-01T23:59:59.5-05:00",
            "202401011200, 2024-01-01T12:00:00+02:00"})
    void dateTimes(String dt, String expected) {
        assertThat(DicomDateTimes.format(DicomDateTimes.ofDateTime(dt, ZoneId.of("+02:00")))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {"-", "2019", "2019-03-23", "20191332"})
    void malformedDatesGiveNull(String da) {
        assertThat(DicomDateTimes.of(da, "1200", ZoneId.of("UTC"))).isNull();
    }
}
