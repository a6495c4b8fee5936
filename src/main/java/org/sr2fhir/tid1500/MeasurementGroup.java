package org.sr2fhir.tid1500;

/** A measurement group (TID 1410 / 1411 / 1501). SKELETON: the mapping work (issue 4) completes it. */
public final class MeasurementGroup {
}
