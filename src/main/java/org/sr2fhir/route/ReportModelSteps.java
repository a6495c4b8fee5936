package org.sr2fhir.route;

import java.util.List;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;
import org.sr2fhir.delivery.DeliveryLog;
import org.sr2fhir.journal.camel.JournalSteps;
import org.sr2fhir.tid1500.MeasurementGroup;
import org.sr2fhir.tid1500.MeasurementReport;

/**
 * The pipeline's look-ups on the report model (bean {@code reportModel} in routes/sr-to-fhir.yaml), as plain method
 * calls. Written as simple-language paths ({@code ${body.measurementGroups}}), each look-up introspected the report's
 * classes anew for every report and hashed the whole record tree, content items included, to key Camel's bean
 * cache, which then held up to 1,000 of those objects through soft references (issue 15: 3 % of a report's CPU in
 * the route, and heap).
 */
@Component("reportModel")
public class ReportModelSteps {

    /** Body: the report read. Sets the exchange properties the log and the journal name the report by. */
    public void identify(Exchange exchange) {
        MeasurementReport report = exchange.getMessage().getBody(MeasurementReport.class);
        exchange.setProperty(DeliveryLog.SR_INSTANCE_UID, report.sopInstanceUid());
        exchange.setProperty(JournalSteps.STUDY_INSTANCE_UID, report.document().header().studyInstanceUid());
    }

    /** The report's measurement groups (TID 1501 each), one exchange each in the split that maps them. */
    public List<MeasurementGroup> measurementGroups(MeasurementReport report) {
        return report.measurementGroups();
    }
}
