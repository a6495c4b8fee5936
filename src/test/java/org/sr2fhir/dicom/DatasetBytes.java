package org.sr2fhir.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** Writes hand-made binary datasets for the reader's tests: elements, items and delimiters, byte by byte. */
final class DatasetBytes {
    static final long UNDEFINED = 0xFFFFFFFFL;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final boolean explicitVr;
    private final ByteOrder order;

    private DatasetBytes(boolean explicitVr, ByteOrder order) {
        this.explicitVr = explicitVr;
        this.order = order;
    }

    static DatasetBytes explicitLittleEndian() {
        return new DatasetBytes(true, ByteOrder.LITTLE_ENDIAN);
    }

    static DatasetBytes implicitLittleEndian() {
        return new DatasetBytes(false, ByteOrder.LITTLE_ENDIAN);
    }

    static DatasetBytes explicitBigEndian() {
        return new DatasetBytes(true, ByteOrder.BIG_ENDIAN);
    }

    /** An element header; {@code length} may be {@link #UNDEFINED}. */
    DatasetBytes header(int tag, VR vr, long length) {
        tag(tag);
        if (explicitVr) {
            out.writeBytes(vr.name().getBytes(StandardCharsets.US_ASCII));
            if (vr.hasLongLength()) {
                out.write(0);
                out.write(0);
                int32((int) length);
            } else {
                int16((int) length);
            }
        } else {
            int32((int) length);
        }
        return this;
    }

    DatasetBytes element(int tag, VR vr, byte[] value) {
        header(tag, vr, value.length);
        out.writeBytes(value);
        return this;
    }

    /** A string element, padded to even length with a space (NUL for UI) as PS3.5 §6.2 asks. */
    DatasetBytes text(int tag, VR vr, String value) {
        return text(tag, vr, value, StandardCharsets.US_ASCII);
    }

    DatasetBytes text(int tag, VR vr, String value, Charset charset) {
        byte[] bytes = value.getBytes(charset);
        if (bytes.length % 2 == 1) {
            byte[] padded = new byte[bytes.length + 1];
            System.arraycopy(bytes, 0, padded, 0, bytes.length);
            padded[bytes.length] = (byte) (vr == VR.UI ? 0 : ' ');
            bytes = padded;
        }
        return element(tag, vr, bytes);
    }

    DatasetBytes item(long length) {
        tag(Tag.Item);
        int32((int) length);
        return this;
    }

    DatasetBytes itemDelimiter() {
        tag(Tag.ItemDelimitationItem);
        int32(0);
        return this;
    }

    DatasetBytes sequenceDelimiter() {
        tag(Tag.SequenceDelimitationItem);
        int32(0);
        return this;
    }

    DatasetBytes raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** Values in this writer's byte order. */
    byte[] shorts(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 2).order(order);
        for (int v : values) {
            buffer.putShort((short) v);
        }
        return buffer.array();
    }

    byte[] ints(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(order);
        for (int v : values) {
            buffer.putInt(v);
        }
        return buffer.array();
    }

    byte[] doubles(double... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(order);
        for (double v : values) {
            buffer.putDouble(v);
        }
        return buffer.array();
    }

    byte[] floats(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(order);
        for (float v : values) {
            buffer.putFloat(v);
        }
        return buffer.array();
    }

    int size() {
        return out.size();
    }

    byte[] toBytes() {
        return out.toByteArray();
    }

    /** A Part 10 file: preamble, "DICM", File Meta Information with the transfer syntax, then {@code dataset}. */
    static byte[] part10(String transferSyntax, byte[] dataset) {
        DatasetBytes meta = explicitLittleEndian()
                .element(Tag.FileMetaInformationGroupLength, VR.UL, new byte[4])
                .text(Tag.MediaStorageSOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.88.22")
                .text(Tag.TransferSyntaxUID, VR.UI, transferSyntax);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(new byte[128]);
        file.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        file.writeBytes(meta.toBytes());
        file.writeBytes(dataset);
        return file.toByteArray();
    }

    private void tag(int tag) {
        int16(tag >>> 16);
        int16(tag & 0xFFFF);
    }

    private void int16(int value) {
        out.writeBytes(ByteBuffer.allocate(2).order(order).putShort((short) value).array());
    }

    private void int32(int value) {
        out.writeBytes(ByteBuffer.allocate(4).order(order).putInt(value).array());
    }
}
