package org.sr2fhir.dicom;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import org.sr2fhir.dicom.BinaryDatasetParser.Encoding;

/**
 * Reads one DICOM input (Part 10, bare dataset or DICOM JSON, detected from the bytes) into a {@link DicomDataset}.
 * Thread-safe; one instance per application.
 * <ul>
 * <li>Part 10: preamble, "DICM", File Meta Information; the Transfer Syntax UID picks Implicit VR LE, Explicit VR LE,
 *     Deflated Explicit VR LE or Explicit VR Big Endian; any other (encapsulated) syntax is read as Explicit VR LE
 *     with the pixel data fragments skipped. File Meta elements (group 0002) are kept in the dataset.</li>
 * <li>A bare dataset (no preamble, no "DICM"): the encoding is guessed from the first element.</li>
 * <li>DICOM JSON (PS3.18 Annex F): first non-blank byte '{' or '[' (an array of exactly one dataset).</li>
 * </ul>
 * Tolerated producer slips come back as {@link DicomDataset#warnings()}; everything unreadable or over a
 * {@link ReadLimits} limit is a {@link DicomReadException} naming the source and, for binary input, the offset and tag.
 */
public final class DicomReader {
    static final String IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
    static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    static final String DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99";
    static final String EXPLICIT_VR_BIG_ENDIAN = "1.2.840.10008.1.2.2";

    private static final int PREAMBLE_LENGTH = 128;

    private final ReadLimits limits;
    private final DicomJsonReader jsonReader;

    public DicomReader() {
        this(ReadLimits.DEFAULTS);
    }

    public DicomReader(ReadLimits limits) {
        this.limits = limits;
        this.jsonReader = new DicomJsonReader(limits);
    }

    /** Reads {@code content}; {@code source} labels the input in messages (e.g. the file name). */
    public DicomDataset read(byte[] content, String source) throws DicomReadException {
        if (content.length > limits.maxInputBytes()) {
            throw new DicomReadException(source, "input of " + content.length + " bytes exceeds the limit of "
                    + limits.maxInputBytes() + " bytes");
        }
        if (hasMarker(content, PREAMBLE_LENGTH)) {
            return readPart10(content, PREAMBLE_LENGTH + 4, source);
        }
        if (hasMarker(content, 0)) {
            return readPart10(content, 4, source); // "DICM" without the preamble, as some tools write
        }
        if (isJson(content)) {
            return jsonReader.read(content, source);
        }
        BinaryDatasetParser parser = new BinaryDatasetParser(content, 0, source, "byte", limits);
        if (!parser.looksLikeDatasetStart()) {
            throw new DicomReadException(source, "not DICOM: no 'DICM' marker at byte 128, not DICOM JSON, and no"
                    + " data element at byte 0");
        }
        DicomDataset dataset = new DicomDataset();
        parser.readFileMeta(dataset); // a bare file may still start with group 0002
        return readBody(parser, dataset, dataset.getString(Tag.TransferSyntaxUID), content, source);
    }

    private DicomDataset readPart10(byte[] content, int metaStart, String source) throws DicomReadException {
        BinaryDatasetParser parser = new BinaryDatasetParser(content, metaStart, source, "byte", limits);
        DicomDataset dataset = new DicomDataset();
        parser.readFileMeta(dataset);
        String transferSyntax = dataset.getString(Tag.TransferSyntaxUID);
        if (transferSyntax == null) {
            dataset.addWarning("File Meta Information has no Transfer Syntax UID (0002,0010); encoding guessed");
        }
        return readBody(parser, dataset, transferSyntax, content, source);
    }

    private DicomDataset readBody(BinaryDatasetParser parser, DicomDataset dataset, String transferSyntax,
            byte[] content, String source) throws DicomReadException {
        BinaryDatasetParser body = parser;
        Encoding encoding;
        if (DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN.equals(transferSyntax)) {
            byte[] inflated = inflate(content, parser.position(), source, dataset);
            body = new BinaryDatasetParser(inflated, 0, source, "inflated byte", limits);
            encoding = Encoding.EXPLICIT_LE;
        } else if (IMPLICIT_VR_LITTLE_ENDIAN.equals(transferSyntax)) {
            encoding = Encoding.IMPLICIT_LE;
        } else if (EXPLICIT_VR_BIG_ENDIAN.equals(transferSyntax)) {
            encoding = Encoding.EXPLICIT_BE;
        } else if (transferSyntax == null) {
            encoding = parser.guessEncoding();
        } else {
            // Explicit VR LE and every encapsulated (compressed image) syntax: the dataset itself is explicit VR LE
            // (PS3.5 §A.4); only Pixel Data is encapsulated, and its fragments are skipped
            encoding = Encoding.EXPLICIT_LE;
        }
        Encoding seen = body.guessEncoding();
        if (transferSyntax != null && encoding.explicitVr() != seen.explicitVr()) {
            // a known producer slip: the dataset's VR form contradicts the declared transfer syntax (dcmtk copes too)
            dataset.addWarning("transfer syntax " + transferSyntax + " says " + (encoding.explicitVr() ? "explicit"
                    : "implicit") + " VR but the dataset is " + (seen.explicitVr() ? "explicit" : "implicit") + " VR");
            encoding = new Encoding(seen.explicitVr(), encoding.order());
        }
        body.readDataset(dataset, encoding);
        parser.warnings().forEach(dataset::addWarning);
        if (body != parser) {
            body.warnings().forEach(dataset::addWarning);
        }
        return dataset;
    }

    /**
     * Inflates a Deflated Explicit VR Little Endian dataset (PS3.5 §A.5: raw deflate, RFC 1951, no zlib header),
     * stopping at {@link ReadLimits#maxInflatedBytes()} so a deflate bomb cannot exhaust memory.
     */
    private byte[] inflate(byte[] content, int start, String source, DicomDataset dataset) throws DicomReadException {
        try {
            return inflate(content, start, true, source);
        } catch (DataFormatException raw) {
            try {
                byte[] inflated = inflate(content, start, false, source);
                dataset.addWarning("deflated dataset has a zlib header (PS3.5 §A.5 wants raw deflate)");
                return inflated;
            } catch (DataFormatException zlib) {
                throw new DicomReadException(source, "deflated dataset at byte offset " + start + " is corrupt: "
                        + raw.getMessage());
            }
        }
    }

    /**
     * Two passes (decision D51): the first only counts the inflated bytes, refusing past the limit without keeping
     * any; the second fills an array of exactly that size. A growing buffer would hold up to twice the limit, plus a
     * copy, and a deflate bomb would exhaust a small heap before the limit is reached.
     */
    private byte[] inflate(byte[] content, int start, boolean raw, String source)
            throws DataFormatException, DicomReadException {
        byte[] chunk = new byte[65536];
        long size = 0;
        Inflater counter = new Inflater(raw);
        try {
            counter.setInput(content, start, content.length - start);
            while (!counter.finished()) {
                int n = counter.inflate(chunk);
                if (n == 0 && (counter.needsInput() || counter.needsDictionary())) {
                    break; // truncated stream: what was inflated is parsed, and a cut element fails there
                }
                size += n;
                if (size > limits.maxInflatedBytes()) {
                    throw new DicomReadException(source, "deflated dataset inflates to more than "
                            + limits.maxInflatedBytes() + " bytes");
                }
            }
        } finally {
            counter.end();
        }
        byte[] inflated = new byte[(int) size];
        Inflater inflater = new Inflater(raw);
        try {
            inflater.setInput(content, start, content.length - start);
            int filled = 0;
            while (filled < inflated.length) {
                int n = inflater.inflate(inflated, filled, inflated.length - filled);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary() || inflater.finished())) {
                    break;
                }
                filled += n;
            }
            return inflated;
        } finally {
            inflater.end();
        }
    }

    private static boolean hasMarker(byte[] content, int at) {
        return content.length >= at + 4 && content[at] == 'D' && content[at + 1] == 'I' && content[at + 2] == 'C'
                && content[at + 3] == 'M';
    }

    /** DICOM JSON (PS3.18 Annex F): the first non-blank byte (after an optional UTF-8 BOM) opens an object or array. */
    private static boolean isJson(byte[] content) {
        int i = content.length >= 3 && (content[0] & 0xFF) == 0xEF && (content[1] & 0xFF) == 0xBB
                && (content[2] & 0xFF) == 0xBF ? 3 : 0;
        while (i < content.length && Character.isWhitespace((char) (content[i] & 0xFF))) {
            i++;
        }
        return i < content.length && (content[i] == '{' || content[i] == '[');
    }
}
