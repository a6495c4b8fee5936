package org.sr2fhir.dicom;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/** Turns the value bytes of one non-sequence element into the form {@link DicomElement} documents for its VR. */
final class ValueDecoder {
    private ValueDecoder() {
    }

    static Object decode(int tag, VR vr, byte[] data, int offset, int length, ByteOrder order,
            SpecificCharacterSet charset, Consumer<String> warn) {
        if (vr.isString()) {
            return strings(vr, data, offset, length, charset, warn);
        }
        ByteBuffer buffer = ByteBuffer.wrap(data, offset, length).slice().order(order);
        int size = switch (vr) {
            case FL, OF, UL, SL, OL -> 4;
            case FD, OD, UV, SV, OV -> 8;
            case US, SS -> 2;
            case AT -> 4;
            default -> 1;
        };
        if (length % size != 0) {
            warn.accept("value length " + length + " of " + Tag.toString(tag) + " " + vr
                    + " is not a multiple of " + size + "; the trailing bytes are ignored");
        }
        int count = length / size;
        return switch (vr) {
            case FL, OF -> {
                double[] values = new double[count];
                for (int i = 0; i < count; i++) {
                    values[i] = buffer.getFloat();
                }
                yield values;
            }
            case FD, OD -> {
                double[] values = new double[count];
                for (int i = 0; i < count; i++) {
                    values[i] = buffer.getDouble();
                }
                yield values;
            }
            case US, SS, UL, SL, OL, UV, SV, OV -> integers(vr, buffer, count);
            case AT -> {
                int[] tags = new int[count];
                for (int i = 0; i < count; i++) {
                    tags[i] = (buffer.getShort() & 0xFFFF) << 16 | buffer.getShort() & 0xFFFF;
                }
                yield tags;
            }
            case OW -> {
                byte[] bytes = Arrays.copyOfRange(data, offset, offset + length);
                if (order == ByteOrder.BIG_ENDIAN) {
                    for (int i = 0; i + 1 < bytes.length; i += 2) { // OW is held little endian (DicomElement)
                        byte b = bytes[i];
                        bytes[i] = bytes[i + 1];
                        bytes[i + 1] = b;
                    }
                }
                yield bytes;
            }
            default -> Arrays.copyOfRange(data, offset, offset + length); // OB, UN
        };
    }

    /** US/UL/OL/UV unsigned, SS/SL/SV signed; UV/OV above 2^63-1 wrap (read them with Long.toUnsignedString). */
    private static long[] integers(VR vr, ByteBuffer buffer, int count) {
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = switch (vr) {
                case US -> buffer.getShort() & 0xFFFFL;
                case SS -> buffer.getShort();
                case UL, OL -> buffer.getInt() & 0xFFFFFFFFL;
                case SL -> buffer.getInt();
                default -> buffer.getLong(); // UV, SV, OV
            };
        }
        return values;
    }

    /**
     * String values (PS3.5 §6.2): decoded with the character set when the VR uses it (VR.usesSpecificCharacterSet),
     * else as ASCII (other bytes kept as ISO 8859-1, never failing); split on '\' for multi-valued VRs after decoding
     * (in GBK and JIS X 0208 the byte 0x5C can be half of a character); trailing spaces and NULs removed, leading
     * spaces removed where they are padding. A value that is empty after that is no value.
     */
    static List<String> strings(VR vr, byte[] data, int offset, int length, SpecificCharacterSet charset,
            Consumer<String> warn) {
        String text = vr.usesSpecificCharacterSet()
                ? charset.decode(data, offset, length, vr == VR.PN, warn)
                : new String(data, offset, length, StandardCharsets.ISO_8859_1);
        return splitAndTrim(vr, text);
    }

    static List<String> splitAndTrim(VR vr, String text) {
        List<String> values = new ArrayList<>();
        if (vr.isMultiValuedString()) {
            int start = 0;
            for (int i = 0; i <= text.length(); i++) {
                if (i == text.length() || text.charAt(i) == '\\') {
                    values.add(trim(vr, text.substring(start, i)));
                    start = i + 1;
                }
            }
        } else {
            values.add(trim(vr, text));
        }
        return values.size() == 1 && values.get(0).isEmpty() ? List.of() : List.copyOf(values);
    }

    /** Removes padding: trailing spaces and NULs, and leading spaces where the VR makes them insignificant. */
    static String trim(VR vr, String value) {
        int end = value.length();
        while (end > 0 && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\0')) {
            end--;
        }
        int start = 0;
        if (vr.hasInsignificantLeadingSpaces()) {
            while (start < end && value.charAt(start) == ' ') {
                start++;
            }
        }
        return value.substring(start, end);
    }
}
