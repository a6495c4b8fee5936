package org.sr2fhir.dicom;

import java.util.ArrayList;
import java.util.List;

/**
 * A PN value (PS3.5 §6.2.1): up to three component groups (alphabetic, ideographic, phonetic), each with up
 * to five '^'-separated components (family, given, middle, prefix, suffix). Groups hold decoded text or "".
 */
public record PersonName(String alphabetic, String ideographic, String phonetic) {

    public PersonName {
        alphabetic = alphabetic == null ? "" : alphabetic;
        ideographic = ideographic == null ? "" : ideographic;
        phonetic = phonetic == null ? "" : phonetic;
    }

    /** Parses the DICOM string form "alphabetic=ideographic=phonetic". */
    public static PersonName parse(String value) {
        if (value == null) {
            return null;
        }
        String[] groups = value.split("=", -1);
        return new PersonName(groups[0], groups.length > 1 ? groups[1] : "", groups.length > 2 ? groups[2] : "");
    }

    /** The DICOM string form, trailing empty groups dropped. */
    public String toDicomString() {
        if (!phonetic.isEmpty()) {
            return alphabetic + "=" + ideographic + "=" + phonetic;
        }
        if (!ideographic.isEmpty()) {
            return alphabetic + "=" + ideographic;
        }
        return alphabetic;
    }

    /** The first non-empty group, for display: alphabetic, else ideographic, else phonetic. */
    public String preferredGroup() {
        return !alphabetic.isEmpty() ? alphabetic : !ideographic.isEmpty() ? ideographic : phonetic;
    }

    /** Components of a group: family, given, middle, prefix, suffix (missing ones are ""). */
    public static List<String> components(String group) {
        List<String> parts = new ArrayList<>(List.of(group.split("\\^", -1)));
        while (parts.size() < 5) {
            parts.add("");
        }
        return parts.subList(0, 5).stream().map(String::trim).toList();
    }

    public boolean isEmpty() {
        return alphabetic.isBlank() && ideographic.isBlank() && phonetic.isBlank();
    }
}
