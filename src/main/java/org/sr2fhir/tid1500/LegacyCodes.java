package org.sr2fhir.tid1500;

import org.sr2fhir.sr.CodedConcept;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Legacy SNOMED RT ("SRT") code → SNOMED CT concept id (decision D12), from the table
 * {@code /terminology/srt-to-sct.csv} (a copy of ../shared/terminology/srt-to-sct.csv). SRT ids are not SCT ids:
 * they are translated, never relabelled. Used to recognise template concept names written with SRT codes
 * (e.g. (G-C0E3, SRT, "Finding Site")) and, by the FHIR mapping, to add the SCT coding.
 */
public final class LegacyCodes {
    private static final Map<String, String> SRT_TO_SCT = load();

    private LegacyCodes() {
    }

    /** The SCT concept id for a SRT code, or null when the table does not know it. */
    public static String sctForSrt(String srtCode) {
        return srtCode == null ? null : SRT_TO_SCT.get(srtCode);
    }

    /** True when {@code concept} is SCT {@code sctCode}, written either as SCT or as its legacy SRT code. */
    public static boolean isSct(CodedConcept concept, String sctCode) {
        if (concept == null) {
            return false;
        }
        return concept.is("SCT", sctCode)
                || ("SRT".equals(concept.designator()) && sctCode.equals(sctForSrt(concept.code())));
    }

    private static Map<String, String> load() {
        try (InputStream in = LegacyCodes.class.getResourceAsStream("/terminology/srt-to-sct.csv")) {
            if (in == null) {
                throw new IllegalStateException("classpath resource /terminology/srt-to-sct.csv is missing");
            }
            Map<String, String> map = new HashMap<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            reader.readLine(); // header "srt,sct"
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                int comma = line.indexOf(',');
                if (comma > 0) {
                    map.put(line.substring(0, comma).trim(), line.substring(comma + 1).trim());
                }
            }
            return Map.copyOf(map);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
