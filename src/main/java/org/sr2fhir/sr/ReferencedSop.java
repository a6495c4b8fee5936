package org.sr2fhir.sr;

import java.util.List;

/**
 * A SOP reference of a COMPOSITE, IMAGE or WAVEFORM item (Referenced SOP Sequence, PS3.3 Table 10-3/10-10):
 * SOP Class and Instance UIDs, frame numbers (0008,1160), segment numbers (0062,000B) and waveform channels.
 */
public record ReferencedSop(String sopClassUid, String sopInstanceUid, List<Integer> frameNumbers,
                            List<Integer> segmentNumbers, List<Integer> channels) {
    public ReferencedSop {
        frameNumbers = frameNumbers == null ? List.of() : List.copyOf(frameNumbers);
        segmentNumbers = segmentNumbers == null ? List.of() : List.copyOf(segmentNumbers);
        channels = channels == null ? List.of() : List.copyOf(channels);
    }

    public static ReferencedSop of(String sopClassUid, String sopInstanceUid) {
        return new ReferencedSop(sopClassUid, sopInstanceUid, List.of(), List.of(), List.of());
    }
}
