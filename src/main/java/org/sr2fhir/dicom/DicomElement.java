package org.sr2fhir.dicom;

import java.util.List;

/**
 * One data element. The value is held in the decoded form that suits its VR:
 * <ul>
 * <li>string VRs (incl. DS, IS, PN): {@code List<String>} of the values, decoded with the character set,
 *     trailing padding removed (DS/IS stay exact strings: no binary floating point round trip);</li>
 * <li>FL, FD, OF, OD: {@code double[]} (FL/OF widened from float);</li>
 * <li>US, UL, SS, SL, UV, SV, OL, OV: {@code long[]};</li>
 * <li>AT: {@code int[]} of tags;</li>
 * <li>SQ: {@code List<DicomDataset>} of items;</li>
 * <li>OB, OW, UN and private or unknown binary values: {@code byte[]} (little endian for OW);</li>
 * <li>a DICOM JSON BulkDataURI: {@link BulkData} (kept as a reference, never fetched).</li>
 * </ul>
 * An element with no value holds an empty list or array.
 */
public record DicomElement(int tag, VR vr, Object value) {

    /** A reference to a value held elsewhere (DICOM JSON BulkDataURI, PS3.18 §F.2.6). */
    public record BulkData(String uri) {
    }

    public static DicomElement ofStrings(int tag, VR vr, List<String> values) {
        return new DicomElement(tag, vr, List.copyOf(values));
    }

    public static DicomElement ofItems(int tag, List<DicomDataset> items) {
        return new DicomElement(tag, VR.SQ, List.copyOf(items));
    }

    @SuppressWarnings("unchecked")
    public List<String> strings() {
        return value instanceof List<?> l && (l.isEmpty() || l.get(0) instanceof String) ? (List<String>) l : List.of();
    }

    @SuppressWarnings("unchecked")
    public List<DicomDataset> items() {
        return vr == VR.SQ && value instanceof List<?> l ? (List<DicomDataset>) l : List.of();
    }

    public double[] doubles() {
        return value instanceof double[] d ? d : new double[0];
    }

    public long[] longs() {
        return value instanceof long[] l ? l : new long[0];
    }

    public byte[] bytes() {
        return value instanceof byte[] b ? b : new byte[0];
    }

    public boolean isEmpty() {
        if (value instanceof List<?> l) {
            return l.isEmpty();
        } else if (value instanceof double[] d) {
            return d.length == 0;
        } else if (value instanceof long[] l) {
            return l.length == 0;
        } else if (value instanceof int[] i) {
            return i.length == 0;
        } else if (value instanceof byte[] b) {
            return b.length == 0;
        }
        return value == null;
    }
}
