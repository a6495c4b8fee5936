package org.sr2fhir.fhir;

/**
 * Report-level mapping state shared by every group of one report (references to Patient/ImagingStudy/
 * ServiceRequest, equipment Device, performer, status, timing). SKELETON: the mapping work (issue 4) completes it.
 */
public final class ReportContext {
}
