package org.sr2fhir.dicomweb;

/**
 * One instance fetched with WADO-RS: Part 10 bytes or a DICOM JSON object, ready for the reader; {@code label}
 * names it in messages (the SOP Instance UID with the representation's file extension).
 */
public record RetrievedInstance(InstanceRef ref, byte[] content, String label) {
}
