package org.sr2fhir.route;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.hl7.fhir.r5.model.Bundle;
import org.springframework.stereotype.Component;
import org.sr2fhir.fhir.GroupResources;
import org.sr2fhir.fhir.ReportContext;
import org.sr2fhir.fhir.ReportMapper;
import org.sr2fhir.fhirclient.FhirServer;

/**
 * The aggregating half of the Composed Message Processor in {@code routes/sr-to-fhir.yaml}: collects the
 * resources of each measurement group and, when the split is done, has {@link ReportMapper} assemble them with the
 * report-level resources into the report's transaction Bundle: one, or several parts of at most
 * {@code sr2fhir.fhir.max-entries-per-bundle} entries (D42) to be posted in order (decision D6). The body becomes the
 * {@code List<Bundle>} of parts.
 */
@Component("measurementGroupAggregator")
public class MeasurementGroupAggregator implements AggregationStrategy {
    /** Exchange property the route sets before the split: the {@link ReportContext} of the report. */
    public static final String REPORT_CONTEXT = "reportContext";
    private static final String GROUPS = "sr2fhir.groupResources";

    private final ReportMapper reportMapper;
    private final FhirServer fhirServer;

    public MeasurementGroupAggregator(ReportMapper reportMapper, FhirServer fhirServer) {
        this.reportMapper = reportMapper;
        this.fhirServer = fhirServer;
    }

    @Override
    public Exchange aggregate(Exchange collected, Exchange next) {
        Exchange target = collected == null ? next : collected;
        if (next.getException() != null) {
            target.setException(next.getException());
            return target;
        }
        groupsOf(target).add(next.getMessage().getBody(GroupResources.class));
        return target;
    }

    /** Called once per split; {@code collected} is null for a report without measurement groups. */
    @Override
    public void onCompletion(Exchange collected, Exchange input) {
        Exchange target = collected == null ? input : collected;
        if (target.getException() != null) {
            return;
        }
        List<GroupResources> groups = collected == null ? List.of() : groupsOf(collected);
        ReportContext context = input.getProperty(REPORT_CONTEXT, ReportContext.class);
        if (context == null) {
            throw new IllegalStateException("route error: exchange property " + REPORT_CONTEXT + " is not set before the split");
        }
        // the server's bundle entry limit: configured, or the known limit of the server at hand (decision D42)
        List<Bundle> parts = reportMapper.assembleParts(context, groups, fhirServer.maxEntriesPerBundle());
        target.removeProperty(GROUPS);
        target.getMessage().setBody(parts);
    }

    @SuppressWarnings("unchecked")
    private static List<GroupResources> groupsOf(Exchange exchange) {
        return (List<GroupResources>) exchange.getProperties().computeIfAbsent(GROUPS, key -> new ArrayList<GroupResources>());
    }
}
