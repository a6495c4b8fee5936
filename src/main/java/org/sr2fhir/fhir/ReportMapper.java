package org.sr2fhir.fhir;

import java.util.List;
import org.hl7.fhir.r5.model.Bundle;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.tid1500.MeasurementGroup;
import org.sr2fhir.tid1500.MeasurementReport;

/**
 * Maps a TID 1500 report to one transaction Bundle (decision D6). The route calls the three steps separately
 * (context once, mapGroup per split exchange, assemble in the aggregation); {@link #convert} chains them for
 * the CLI, so both share all mapping code. Thread-safe. SKELETON: the mapping work (issue 4) implements it.
 */
public final class ReportMapper {
    private final MappingSettings settings;

    public ReportMapper(MappingSettings settings) {
        this.settings = settings;
    }

    public ReportContext context(MeasurementReport report) throws InputRejectedException {
        throw new UnsupportedOperationException("SKELETON: implemented by the mapping work (issue 4)");
    }

    public GroupResources mapGroup(ReportContext context, MeasurementGroup group) {
        throw new UnsupportedOperationException("SKELETON: implemented by the mapping work (issue 4)");
    }

    public Bundle assemble(ReportContext context, List<GroupResources> groups) {
        throw new UnsupportedOperationException("SKELETON: implemented by the mapping work (issue 4)");
    }

    /** The whole mapping of one report, as the route does it, in one call. */
    public Bundle convert(MeasurementReport report) throws InputRejectedException {
        ReportContext context = context(report);
        return assemble(context, report.measurementGroups().stream().map(g -> mapGroup(context, g)).toList());
    }
}
