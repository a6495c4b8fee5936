package org.sr2fhir.tid1500;

import java.util.List;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.sr.SrDocument;

/** TID 1500 Measurement Report. SKELETON: the mapping work (issue 4) owns and completes this class. */
public final class MeasurementReport {

    public static MeasurementReport from(SrDocument document) throws InputRejectedException {
        throw new UnsupportedOperationException("SKELETON: implemented by the mapping work (issue 4)");
    }

    public SrDocument document() {
        throw new UnsupportedOperationException("SKELETON");
    }

    /** The measurement groups the route splits on, in document order. */
    public List<MeasurementGroup> measurementGroups() {
        throw new UnsupportedOperationException("SKELETON");
    }
}
