package org.sr2fhir.fhir;

import org.hl7.fhir.r5.model.DiagnosticReport;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Reference;

import java.util.List;

/**
 * Decision D20: one DiagnosticReport per SR, as in the IG's example: identifier = SR SOP Instance UID, code = the
 * document title, result = the group, derived and root-level qualitative Observations, study = the ImagingStudy.
 * The IG has no DiagnosticReport profile, so none is claimed (D22 covers IG profiles only).
 */
final class DiagnosticReportMapper {
    static final String ROLE = "report";

    MappedEntry report(ReportContext context, List<String> resultFullUrls) {
        DiagnosticReport report = new DiagnosticReport();
        report.addIdentifier(new Identifier().setSystem(Profiles.DICOM_UID)
                .setValue(Profiles.oid(context.sopInstanceUid())));
        if (context.serviceRequest() != null) {
            report.addBasedOn(context.serviceRequest());
        }
        report.setStatus(DiagnosticReport.DiagnosticReportStatus.fromCode(context.status()));
        report.setCode(context.title());
        report.setSubject(context.subject());
        report.setEffective(DicomDateTimes.dateTime(context.issued()));
        report.setIssuedElement(DicomDateTimes.instant(context.issued()));
        for (String performer : context.performerReferences()) {
            report.addPerformer(new Reference(performer));
        }
        report.addStudy(context.study());
        resultFullUrls.forEach(r -> report.addResult(new Reference(r)));
        return context.entries().entry(report, ROLE, "");
    }
}
