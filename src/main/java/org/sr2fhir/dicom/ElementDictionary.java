package org.sr2fhir.dicom;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The VR of standard data elements (PS3.6), needed to read Implicit VR Little Endian, where the stream carries
 * no VR (PS3.5 §7.1.3). Loaded once from the {@code dictionary.txt} resource next to this class.
 */
final class ElementDictionary {
    private static final Map<Integer, VR> EXACT = new HashMap<>(8192);
    private static final Map<Integer, VR> REPEATING = new HashMap<>(128);

    static {
        InputStream in = ElementDictionary.class.getResourceAsStream("dictionary.txt");
        if (in == null) {
            throw new IllegalStateException("dictionary.txt resource missing from the dicom package");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String key = line.substring(0, 8);
                VR vr = VR.parse(line.substring(9).trim());
                if (key.contains("xx")) {
                    REPEATING.put(Integer.parseUnsignedInt(key.replace("xx", "00"), 16), vr);
                } else {
                    EXACT.put(Integer.parseUnsignedInt(key, 16), vr);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ElementDictionary() {
    }

    /** The VR of a tag for implicit-VR reading: dictionary VR, LO for private creators, UN when unknown. */
    static VR vrOf(int tag) {
        int group = tag >>> 16;
        int element = tag & 0xFFFF;
        if (element == 0) {
            return VR.UL; // group length (gggg,0000), PS3.5 §7.2
        }
        if ((group & 1) == 1) {
            // private creator (gggg,0010-00FF) is LO (PS3.5 §7.8.1); other private elements are unknown here
            return element >= 0x0010 && element <= 0x00FF ? VR.LO : VR.UN;
        }
        VR vr = EXACT.get(tag);
        if (vr == null && ((group & 0xFF00) == 0x5000 || (group & 0xFF00) == 0x6000)) {
            vr = REPEATING.get((group & 0xFF00) << 16 | element);
        }
        return vr == null ? VR.UN : vr;
    }

}
