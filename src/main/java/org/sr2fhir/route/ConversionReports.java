package org.sr2fhir.route;

import java.util.List;
import org.apache.camel.Exchange;
import org.hl7.fhir.r5.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.conversion.ConversionReport;
import org.sr2fhir.delivery.FailureReport;
import org.sr2fhir.fhir.ReportContext;
import org.sr2fhir.tid1500.MeasurementReport;

/**
 * The pipeline's conversion report (decision D34) as two exchange properties that later steps (the journal) read:
 * {@value #SUMMARY}, the one-line summary, and {@value #REPORT}, the JSON. Set as soon as the report is mapped, and
 * again, with the reason, when it is refused. The summary is logged once per report: the inbox's retries of a
 * transient failure run the pipeline again on the same exchange, and find the same summary already there.
 */
@Component("conversionReports")
public class ConversionReports {
    public static final String SUMMARY = "sr2fhirConversionSummary";
    public static final String REPORT = "sr2fhirConversionReport";
    private static final Logger LOG = LoggerFactory.getLogger(ConversionReports.class);

    /** After the mapping: the body is the report's Bundle parts, the report context is set. */
    public void mapped(Exchange exchange) {
        ReportContext context = exchange.getProperty(MeasurementGroupAggregator.REPORT_CONTEXT, ReportContext.class);
        List<Bundle> parts = exchange.getMessage().getBody(List.class).stream().filter(Bundle.class::isInstance)
                .map(Bundle.class::cast).toList();
        ConversionReport report = ConversionReport.converted(context.report(), parts);
        if (publish(exchange, report)) {
            LOG.info("{}", report.summary());
        }
    }

    /**
     * The doCatch of a refusal: the conversion report carries the reason (and what reading found, when the SR was
     * read), then the refusal goes on to the caller's error handling, which logs it.
     */
    public void refused(Exchange exchange) throws InputRejectedException {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        InputRejectedException refusal = FailureReport.find(caught, InputRejectedException.class);
        if (refusal == null) {
            throw new IllegalStateException("route error: conversionReports.refused outside a doCatch of "
                    + "InputRejectedException", caught);
        }
        ReportContext context = exchange.getProperty(MeasurementGroupAggregator.REPORT_CONTEXT, ReportContext.class);
        MeasurementReport report = exchange.getMessage().getBody() instanceof MeasurementReport read ? read
                : context == null ? null : context.report();
        publish(exchange, ConversionReport.rejected(report, refusal));
        throw refusal;
    }

    /** Sets both properties; true when the summary is new on this exchange (not a retry of the same report). */
    private static boolean publish(Exchange exchange, ConversionReport report) {
        String summary = report.summary();
        boolean isNew = !summary.equals(exchange.getProperty(SUMMARY, String.class));
        exchange.setProperty(SUMMARY, summary);
        exchange.setProperty(REPORT, report.toJson());
        return isNew;
    }
}
