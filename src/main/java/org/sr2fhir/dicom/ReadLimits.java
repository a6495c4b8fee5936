package org.sr2fhir.dicom;

/**
 * Safety limits for reading untrusted DICOM input. Every limit is checked before memory is allocated for it, so
 * hostile input ends in a {@link DicomReadException}, never in an OutOfMemoryError or a stack overflow.
 *
 * @param maxInputBytes    largest accepted input (Part 10 file or DICOM JSON document)
 * @param maxInflatedBytes largest dataset a Deflated Explicit VR Little Endian input may inflate to
 * @param maxDepth         deepest sequence nesting (a content tree of depth n needs about n levels)
 * @param maxElements      most data elements in one input, all items included
 */
public record ReadLimits(int maxInputBytes, int maxInflatedBytes, int maxDepth, int maxElements) {

    /**
     * 64 MiB input, 64 MiB inflated, depth 64, one million elements: far above any real SR, and small enough that a
     * deflate bomb is refused before it fills a 256 MiB heap (decision D51; settings sr2fhir.limits.*).
     */
    public static final ReadLimits DEFAULTS = new ReadLimits(64 << 20, 64 << 20, 64, 1_000_000);

    public ReadLimits {
        if (maxInputBytes <= 0 || maxInflatedBytes <= 0 || maxDepth <= 0 || maxElements <= 0) {
            throw new IllegalArgumentException("read limits must be positive");
        }
    }
}
