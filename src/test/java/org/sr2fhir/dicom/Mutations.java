package org.sr2fhir.dicom;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Byte-level corruptions of DICOM inputs, shared by the reader's mutation test and the end-to-end fuzz test. */
public final class Mutations {
    private Mutations() {
    }

    /** Offsets of the length fields of explicit VR LE element headers (tag, two VR letters, length). */
    public static List<Integer> explicitLengthFields(byte[] data) {
        List<Integer> offsets = new ArrayList<>();
        for (int i = 132; i + 12 <= data.length; i += 2) {
            VR vr = VR.parse(new String(data, i + 4, 2, StandardCharsets.ISO_8859_1));
            if (vr != null && (data[i + 1] == 0 || data[i] == 0)) {
                offsets.add(vr.hasLongLength() ? i + 8 : -(i + 6)); // negative: a 2-byte length
            }
        }
        return offsets;
    }

    public static byte[] replaceLength(byte[] data, List<Integer> fields, Random random, int length) {
        byte[] copy = data.clone();
        List<Integer> longFields = fields.stream().filter(f -> f > 0).toList();
        int at = longFields.isEmpty() ? random.nextInt(copy.length - 4) : longFields.get(random.nextInt(longFields.size()));
        ByteBuffer.wrap(copy, at, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(length);
        return copy;
    }

    public static byte[] replaceShortLength(byte[] data, List<Integer> fields, Random random) {
        byte[] copy = data.clone();
        List<Integer> shortFields = fields.stream().filter(f -> f < 0).map(f -> -f).toList();
        int at = shortFields.isEmpty() ? random.nextInt(copy.length - 2) : shortFields.get(random.nextInt(shortFields.size()));
        ByteBuffer.wrap(copy, at, 2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) random.nextInt(0x10000));
        return copy;
    }

    public static byte[] flipBytes(byte[] data, Random random, int count) {
        byte[] copy = data.clone();
        for (int i = 0; i < count; i++) {
            copy[random.nextInt(copy.length)] ^= (byte) (1 + random.nextInt(255));
        }
        return copy;
    }

    /** Deletes a random range, or inserts random bytes, somewhere in the input. */
    public static byte[] spliceRandomBytes(byte[] data, Random random) {
        int at = random.nextInt(data.length);
        int length = 1 + random.nextInt(64);
        if (random.nextBoolean()) {
            int end = Math.min(data.length, at + length);
            byte[] out = new byte[data.length - (end - at)];
            System.arraycopy(data, 0, out, 0, at);
            System.arraycopy(data, end, out, at, data.length - end);
            return out;
        }
        byte[] inserted = new byte[length];
        random.nextBytes(inserted);
        byte[] out = new byte[data.length + length];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, length);
        System.arraycopy(data, at, out, at + length, data.length - at);
        return out;
    }

    /** Replaces one JSON string or number with another kind of token. */
    public static byte[] replaceJsonToken(byte[] data, Random random) {
        String text = new String(data, StandardCharsets.UTF_8);
        String[] replacements = {"null", "[]", "{}", "\"\"", "1e999999999", "-1", "\"ZZ\"", "[[[]]]", "{\"x\":1}",
            "18446744073709551616", "\"====\""};
        int at = text.indexOf('"', random.nextInt(Math.max(1, text.length())));
        if (at < 0) {
            return data;
        }
        int end = text.indexOf('"', at + 1);
        if (end < 0) {
            return data;
        }
        String mutated = text.substring(0, at) + replacements[random.nextInt(replacements.length)]
                + text.substring(end + 1);
        return mutated.getBytes(StandardCharsets.UTF_8);
    }
}
