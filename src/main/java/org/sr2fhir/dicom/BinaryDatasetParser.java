package org.sr2fhir.dicom;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses binary-encoded data elements (PS3.5 §7) from one byte array: explicit or implicit VR, little or big endian,
 * sequences and items of defined or undefined length. One instance per input; not thread-safe.
 * Every length is checked against the bytes left before it is used, and depth and element count against
 * {@link ReadLimits}, so malformed input always ends in a {@link DicomReadException}.
 */
final class BinaryDatasetParser {
    private static final long UNDEFINED_LENGTH = 0xFFFFFFFFL;
    private static final int PIXEL_DATA = 0x7FE00010;

    /** How the elements are encoded (PS3.5 §10: the transfer syntax, as far as the dataset is concerned). */
    record Encoding(boolean explicitVr, ByteOrder order) {
        static final Encoding IMPLICIT_LE = new Encoding(false, ByteOrder.LITTLE_ENDIAN);
        static final Encoding EXPLICIT_LE = new Encoding(true, ByteOrder.LITTLE_ENDIAN);
        static final Encoding EXPLICIT_BE = new Encoding(true, ByteOrder.BIG_ENDIAN);

        boolean bigEndian() {
            return order == ByteOrder.BIG_ENDIAN;
        }
    }

    private final byte[] data;
    private final String source;
    private final String where;
    private final ReadLimits limits;
    private final Set<String> warnings = new LinkedHashSet<>();
    private int pos;
    private int elementCount;
    private int oddLengths;
    private String firstOddLength;

    /**
     * @param where how offsets are named in messages, e.g. "byte" or "inflated byte" (for deflated datasets)
     */
    BinaryDatasetParser(byte[] data, int start, String source, String where, ReadLimits limits) {
        this.data = data;
        this.pos = start;
        this.source = source;
        this.where = where;
        this.limits = limits;
    }

    int position() {
        return pos;
    }

    /** The producer slips tolerated so far, each once; odd value lengths are summed up in one warning. */
    Set<String> warnings() {
        Set<String> all = new LinkedHashSet<>(warnings);
        if (oddLengths > 0) {
            all.add(oddLengths + " element(s) with an odd value length, the first " + firstOddLength);
        }
        return all;
    }

    private void noteOddLength(int tag, int length, int offset) {
        if (oddLengths++ == 0) {
            firstOddLength = Tag.toString(tag) + " (length " + length + ") at " + where + " offset " + offset;
        }
    }

    private void warn(String warning) {
        warnings.add(warning);
    }

    /** Reads the File Meta Information (group 0002, always explicit VR little endian, PS3.10 §7.1) into {@code ds}. */
    void readFileMeta(DicomDataset ds) throws DicomReadException {
        while (pos + 4 <= data.length && u16(pos, ByteOrder.LITTLE_ENDIAN) == 0x0002) {
            readElement(ds, data.length, Encoding.EXPLICIT_LE, SpecificCharacterSet.UNDECLARED, 0);
        }
    }

    /** Reads the rest of the input as the top-level dataset. */
    void readDataset(DicomDataset ds, Encoding encoding) throws DicomReadException {
        readElements(ds, data.length, false, encoding, SpecificCharacterSet.UNDECLARED, 0);
    }

    /**
     * Guesses the encoding of the dataset at the current position from its first element: explicit VR when the
     * bytes after the tag are a VR, big endian when the group reads better swapped (PS3.5 Annex A.1-A.3).
     */
    Encoding guessEncoding() {
        if (pos + 8 > data.length) {
            return Encoding.EXPLICIT_LE;
        }
        boolean explicit = isUpperCaseLetters(new String(data, pos + 4, 2, StandardCharsets.US_ASCII));
        int little = u16(pos, ByteOrder.LITTLE_ENDIAN);
        int big = u16(pos, ByteOrder.BIG_ENDIAN);
        if (explicit && big != 0 && big < little) {
            return Encoding.EXPLICIT_BE;
        }
        return explicit ? Encoding.EXPLICIT_LE : Encoding.IMPLICIT_LE;
    }

    /**
     * True when a data element seems to start here: a group 0002-7FE0 in either byte order, followed by an explicit
     * VR or by an implicit-VR length that fits in the input.
     */
    boolean looksLikeDatasetStart() {
        if (pos + 8 > data.length) {
            return false;
        }
        int little = u16(pos, ByteOrder.LITTLE_ENDIAN);
        int big = u16(pos, ByteOrder.BIG_ENDIAN);
        boolean group = little >= 0x0002 && little <= 0x7FE0 || big >= 0x0002 && big <= 0x7FE0;
        boolean explicit = isUpperCaseLetters(new String(data, pos + 4, 2, StandardCharsets.US_ASCII));
        return group && (explicit || u32(pos + 4, ByteOrder.LITTLE_ENDIAN) <= data.length - pos - 8);
    }

    /**
     * Reads elements into {@code ds} up to {@code end}, or, for an item of undefined length, up to its Item
     * Delimitation Item. The item's own (0008,0005) replaces the inherited character set (PS3.5 §6.1.2.2).
     */
    private void readElements(DicomDataset ds, int end, boolean undefinedLength, Encoding encoding,
            SpecificCharacterSet inherited, int depth) throws DicomReadException {
        SpecificCharacterSet charset = inherited;
        while (pos < end) {
            int start = pos;
            require(4, end, "a data element tag");
            int tag = tag(pos, encoding.order());
            if (tag == Tag.ItemDelimitationItem) {
                require(8, end, "an Item Delimitation Item");
                pos += 8;
                if (undefinedLength) {
                    return;
                }
                warn("Item Delimitation Item in an item of defined length at " + where + " offset " + start);
                continue;
            }
            if (tag == 0 && depth == 0 && !undefinedLength && allZero(pos, end)) {
                warn((end - pos) + " zero bytes of padding after the dataset at " + where + " offset " + start);
                pos = end;
                return;
            }
            if (tag == Tag.SequenceDelimitationItem && depth == 0 && !undefinedLength) {
                warn("stray Sequence Delimitation Item at " + where + " offset " + start + "; the rest is ignored");
                pos = end;
                return;
            }
            if ((tag >>> 16) == 0xFFFE) {
                throw error(start, tag, "unexpected " + Tag.toString(tag) + " among the data elements");
            }
            DicomElement element = readElement(ds, end, encoding, charset, depth);
            if (element != null && element.tag() == Tag.SpecificCharacterSet) {
                charset = SpecificCharacterSet.of(element.strings(), this::warn);
            }
        }
        if (undefinedLength) {
            throw new DicomReadException(source, "an item of undefined length has no Item Delimitation Item before "
                    + where + " offset " + end);
        }
    }

    /** Reads one element at the current position, stores it in {@code ds} and returns it (null when skipped). */
    private DicomElement readElement(DicomDataset ds, int end, Encoding encoding, SpecificCharacterSet charset,
            int depth) throws DicomReadException {
        int start = pos;
        require(8, end, "a data element header");
        int tag = tag(pos, encoding.order());
        VR vr;
        long length;
        if (encoding.explicitVr()) {
            String code = new String(data, pos + 4, 2, StandardCharsets.ISO_8859_1);
            vr = VR.parse(code);
            if (vr == null) {
                if (!isUpperCaseLetters(code)) {
                    throw error(start, tag, "invalid VR '" + printable(code) + "'");
                }
                // a VR newer than this reader: every VR added since 2007 has the long header (PS3.5 §7.1.2)
                warn("unknown VR '" + code + "' of " + Tag.toString(tag) + " read as UN");
                vr = VR.UN;
            }
            if (vr.hasLongLength()) {
                require(12, end, "a data element header");
                length = u32(pos + 8, encoding.order());
                pos += 12;
            } else {
                length = u16(pos + 6, encoding.order());
                pos += 8;
            }
        } else {
            vr = ElementDictionary.vrOf(tag);
            length = u32(pos + 4, encoding.order());
            pos += 8;
        }
        countElement(start, tag);
        if (length == UNDEFINED_LENGTH) {
            return readUndefinedLength(ds, tag, vr, start, end, encoding, charset, depth);
        }
        if (length > end - pos) {
            throw error(start, tag, "value length " + length + " exceeds the " + (end - pos) + " bytes left");
        }
        int valueStart = pos;
        int valueLength = (int) length;
        pos += valueLength;
        if ((tag & 0xFFFF) == 0 && tag != 0) {
            return null; // group length (gggg,0000): retired and never needed (PS3.5 §7.2)
        }
        if (valueLength % 2 == 1) {
            noteOddLength(tag, valueLength, start);
        }
        DicomElement element;
        if (vr == VR.SQ) {
            int saved = pos;
            pos = valueStart;
            element = DicomElement.ofItems(tag,
                    readItems(tag, valueStart + valueLength, false, encoding, charset, depth + 1));
            pos = saved;
        } else if (vr == VR.UN && ElementDictionary.vrOf(tag) == VR.SQ) {
            element = unknownSequence(tag, valueStart, valueLength, charset, depth);
        } else if (vr == VR.UN && ElementDictionary.vrOf(tag) != VR.UN) {
            // a standard element some node wrote as UN: its value is implicit VR little endian (PS3.5 §6.2.2), so
            // the dictionary VR decodes it (otherwise a Code Meaning arriving as UN would be lost)
            VR known = ElementDictionary.vrOf(tag);
            warn("standard element " + Tag.toString(tag) + " written as UN; read as " + known);
            element = new DicomElement(tag, known, ValueDecoder.decode(tag, known, data, valueStart, valueLength,
                    ByteOrder.LITTLE_ENDIAN, charset, this::warn));
        } else {
            element = new DicomElement(tag, vr, ValueDecoder.decode(tag, vr, data, valueStart, valueLength,
                    encoding.order(), charset, this::warn));
        }
        ds.put(element);
        return element;
    }

    /**
     * A UN element of defined length whose tag the dictionary knows as SQ (a sequence some node could not
     * identify): its value is implicit VR little endian (PS3.5 §6.2.2); read it as a sequence, else keep the bytes.
     */
    private DicomElement unknownSequence(int tag, int valueStart, int valueLength, SpecificCharacterSet charset,
            int depth) throws DicomReadException {
        int saved = pos;
        int savedCount = elementCount;
        pos = valueStart;
        try {
            return DicomElement.ofItems(tag, readItems(tag, valueStart + valueLength, false, Encoding.IMPLICIT_LE,
                    charset, depth + 1));
        } catch (DicomReadException notASequence) {
            elementCount = savedCount;
            warn("UN element " + Tag.toString(tag) + " is not an implicit VR sequence; kept as bytes");
            return new DicomElement(tag, VR.UN, Arrays.copyOfRange(data, valueStart, valueStart + valueLength));
        } finally {
            pos = saved;
        }
    }

    private DicomElement readUndefinedLength(DicomDataset ds, int tag, VR vr, int start, int end, Encoding encoding,
            SpecificCharacterSet charset, int depth) throws DicomReadException {
        if (tag == PIXEL_DATA && (vr == VR.OB || vr == VR.OW)) {
            skipEncapsulatedFragments(end);
            return null;
        }
        DicomElement element;
        if (vr == VR.SQ) {
            element = DicomElement.ofItems(tag, readItems(tag, end, true, encoding, charset, depth + 1));
        } else if (vr == VR.UN) {
            // UN of undefined length holds an implicit VR little endian sequence (PS3.5 §6.2.2, CP-246)
            element = DicomElement.ofItems(tag, readItems(tag, end, true, Encoding.IMPLICIT_LE, charset, depth + 1));
        } else {
            throw error(start, tag, "undefined length on an element of VR " + vr);
        }
        ds.put(element);
        return element;
    }

    /** Reads the items of a sequence (PS3.5 §7.5). */
    private List<DicomDataset> readItems(int sequenceTag, int end, boolean undefinedLength, Encoding encoding,
            SpecificCharacterSet charset, int depth) throws DicomReadException {
        if (depth > limits.maxDepth()) {
            throw error(pos, sequenceTag, "sequences nested deeper than " + limits.maxDepth() + " levels");
        }
        List<DicomDataset> items = new ArrayList<>();
        while (true) {
            if (pos >= end) {
                if (undefinedLength) {
                    throw error(pos, sequenceTag, "sequence of undefined length has no Sequence Delimitation Item");
                }
                return items;
            }
            int start = pos;
            require(8, end, "an item header");
            int tag = tag(pos, encoding.order());
            long length = u32(pos + 4, encoding.order());
            pos += 8;
            if (tag == Tag.SequenceDelimitationItem) {
                if (!undefinedLength) {
                    warn("Sequence Delimitation Item in sequence " + Tag.toString(sequenceTag) + " of defined length");
                    pos = end;
                }
                return items;
            }
            if (tag != Tag.Item) {
                throw error(start, sequenceTag, "expected an item (FFFE,E000) but found " + Tag.toString(tag));
            }
            countElement(start, tag);
            DicomDataset item = new DicomDataset();
            if (length == UNDEFINED_LENGTH) {
                readElements(item, end, true, encoding, charset, depth);
            } else {
                if (length > end - pos) {
                    throw error(start, sequenceTag, "item length " + length + " exceeds the " + (end - pos)
                            + " bytes left");
                }
                int itemEnd = pos + (int) length;
                readElements(item, itemEnd, false, encoding, charset, depth);
                pos = itemEnd;
            }
            items.add(item);
        }
    }

    /** Encapsulated Pixel Data (PS3.5 §A.4): a sequence of fragments, skipped (an SR's metadata is all we need). */
    private void skipEncapsulatedFragments(int end) throws DicomReadException {
        while (true) {
            int start = pos;
            require(8, end, "a pixel data fragment header");
            int tag = tag(pos, ByteOrder.LITTLE_ENDIAN);
            long length = u32(pos + 4, ByteOrder.LITTLE_ENDIAN);
            pos += 8;
            if (tag == Tag.SequenceDelimitationItem) {
                return;
            }
            if (tag != Tag.Item) {
                throw error(start, PIXEL_DATA, "expected a pixel data fragment but found " + Tag.toString(tag));
            }
            if (length > end - pos) {
                throw error(start, PIXEL_DATA, "fragment length " + length + " exceeds the " + (end - pos)
                        + " bytes left");
            }
            countElement(start, tag);
            pos += (int) length;
        }
    }

    private void countElement(int offset, int tag) throws DicomReadException {
        if (++elementCount > limits.maxElements()) {
            throw error(offset, tag, "more than " + limits.maxElements() + " data elements");
        }
    }

    private void require(int bytes, int end, String what) throws DicomReadException {
        if (end - pos < bytes) {
            throw new DicomReadException(source, "truncated: " + what + " at " + where + " offset " + pos
                    + " needs " + bytes + " bytes but only " + (end - pos) + " are left");
        }
    }

    private DicomReadException error(int offset, int tag, String reason) {
        return new DicomReadException(source, reason + " (element " + Tag.toString(tag) + " at " + where
                + " offset " + offset + ")");
    }

    private int tag(int at, ByteOrder order) {
        return u16(at, order) << 16 | u16(at + 2, order);
    }

    private int u16(int at, ByteOrder order) {
        int b0 = data[at] & 0xFF;
        int b1 = data[at + 1] & 0xFF;
        return order == ByteOrder.LITTLE_ENDIAN ? b1 << 8 | b0 : b0 << 8 | b1;
    }

    private long u32(int at, ByteOrder order) {
        long low = u16(at, order);
        long high = u16(at + 2, order);
        return order == ByteOrder.LITTLE_ENDIAN ? high << 16 | low : low << 16 | high;
    }

    private boolean allZero(int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isUpperCaseLetters(String code) {
        return code.chars().allMatch(c -> c >= 'A' && c <= 'Z');
    }

    private static String printable(String code) {
        StringBuilder out = new StringBuilder();
        for (char c : code.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\x%02X", (int) c));
        }
        return out.toString();
    }
}
