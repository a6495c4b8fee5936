package org.sr2fhir.sr;

import org.sr2fhir.InputRejectedException;

/**
 * A dataset that cannot be read as an SR document: not an SR storage SOP class, no root CONTAINER or Content
 * Sequence, a by-reference relationship pointing nowhere, a content tree nested beyond the safety limit, or a
 * value that cannot be represented without guessing. The reason names content item positions and tags, never
 * patient data (decision D21).
 */
public class SrDocumentException extends InputRejectedException {

    public SrDocumentException(String source, String sopInstanceUid, String reason) {
        super(source, sopInstanceUid, reason);
    }
}
