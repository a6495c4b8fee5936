package org.sr2fhir.sr;

import org.sr2fhir.InputRejectedException;
import org.sr2fhir.dicom.DicomDataset;

/** Builds the {@link SrDocument} (header values and content tree) of an SR dataset. Stateless. */
public final class SrDocumentBuilder {

    public SrDocument build(DicomDataset dataset, String source) throws InputRejectedException {
        throw new UnsupportedOperationException("SKELETON: implemented by the reader work (issue 3)");
    }
}
