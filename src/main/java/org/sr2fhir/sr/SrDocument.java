package org.sr2fhir.sr;

import java.util.List;
import java.util.Map;
import org.sr2fhir.dicom.DicomDataset;

/**
 * An SR document: its header values, its content tree (root CONTAINER) and the dataset it was read from.
 * {@code source} labels the input (file name) in messages; {@code warnings} lists tolerated producer slips.
 */
public record SrDocument(String source, DicomDataset dataset, SrDocumentHeader header, ContentItem.Container root,
                         Map<String, String> codingSchemeUids, List<String> warnings) {

    public SrDocument {
        codingSchemeUids = codingSchemeUids == null ? Map.of() : Map.copyOf(codingSchemeUids);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
