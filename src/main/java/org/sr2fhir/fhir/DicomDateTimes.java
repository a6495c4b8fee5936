package org.sr2fhir.fhir;

import org.hl7.fhir.r5.model.DateTimeType;
import org.hl7.fhir.r5.model.InstantType;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * DICOM DA/TM/DT values → FHIR instant / dateTime (decision D8). The zone is the value's own offset, else
 * Timezone Offset From UTC (0008,0201), else the configured default.
 */
final class DicomDateTimes {
    private static final DateTimeFormatter DATE = DateTimeFormatter.BASIC_ISO_DATE;

    private DicomDateTimes() {
    }

    /** Content Date + Content Time (DA, TM) in the given zone; null when the date is missing or malformed. */
    static OffsetDateTime of(String da, String tm, ZoneId zone) {
        if (da == null || da.isBlank()) {
            return null;
        }
        try {
            LocalDate date = LocalDate.parse(da.trim(), DATE);
            LocalDateTime local = date.atTime(time(tm));
            return local.atZone(zone).toOffsetDateTime();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A DT value "YYYYMMDDHHMMSS.FFFFFF&ZZXX" (components after the year optional); null when malformed. */
    static OffsetDateTime ofDateTime(String dt, ZoneId zone) {
        if (dt == null || dt.isBlank()) {
            return null;
        }
        String value = dt.trim();
        ZoneId valueZone = zone;
        int sign = Math.max(value.indexOf('+'), value.indexOf('-'));
        if (sign > 0) {
            valueZone = offset(value.substring(sign));
            value = value.substring(0, sign);
        }
        if (value.length() < 8 || valueZone == null) {
            return null;
        }
        return of(value.substring(0, 8), value.length() > 8 ? value.substring(8) : null, valueZone);
    }

    /** A "+HHMM"/"-HHMM" offset (0008,0201 or the tail of a DT), or null when malformed. */
    static ZoneId offset(String value) {
        if (value == null || !value.trim().matches("[+-]\\d{4}")) {
            return null;
        }
        String v = value.trim();
        return ZoneOffset.ofHoursMinutes(Integer.parseInt(v.substring(0, 3)),
                Integer.parseInt(v.charAt(0) + v.substring(3, 5)));
    }

    private static LocalTime time(String tm) {
        if (tm == null || tm.isBlank()) {
            return LocalTime.MIDNIGHT;
        }
        String t = tm.trim().replace(":", "");
        int hour = Integer.parseInt(t.substring(0, 2));
        int minute = t.length() >= 4 ? Integer.parseInt(t.substring(2, 4)) : 0;
        int second = t.length() >= 6 ? Math.min(59, Integer.parseInt(t.substring(4, 6))) : 0;
        int nanos = 0;
        if (t.length() > 7 && t.charAt(6) == '.') {
            String fraction = (t.substring(7) + "000000000").substring(0, 9);
            nanos = Integer.parseInt(fraction);
        }
        return LocalTime.of(hour, minute, second, nanos);
    }

    static InstantType instant(OffsetDateTime value) {
        return new InstantType(format(value));
    }

    static DateTimeType dateTime(OffsetDateTime value) {
        return new DateTimeType(format(value));
    }

    /** ISO 8601 with the offset written as +hh:mm, seconds always, the fraction only when present. */
    static String format(OffsetDateTime value) {
        String fraction = "";
        if (value.getNano() > 0) {
            fraction = "." + String.format("%09d", value.getNano()).replaceAll("0+$", "");
        }
        return value.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")) + fraction
                + value.format(DateTimeFormatter.ofPattern("xxx"));
    }
}
