package org.sr2fhir.route;

import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hl7.fhir.r5.model.Bundle;
import org.sr2fhir.fhir.MappingSettings;

/**
 * What a set of transaction Bundles leaves on a server that held none of their resources, per resource type: PUT
 * entries are distinct by URL (deterministic ids, D5), conditional creates by type and ifNoneExist (one Patient per
 * identifier however many reports name it, D3). Compared with the server's own totals.
 */
final class ExpectedResources {
    /**
     * The mapping the delivery ITs run the route with: the defaults plus sr2fhir.linking.create-missing=true, since
     * their servers start empty (D3). Bundles mapped with it are the ones the route sends.
     */
    static final MappingSettings CREATE_MISSING = createMissing();

    private final Map<String, Set<String>> byType = new TreeMap<>();

    void add(Bundle bundle) {
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Bundle.BundleEntryRequestComponent request = entry.getRequest();
            String type = entry.getResource().fhirType();
            byType.computeIfAbsent(type, t -> new TreeSet<>())
                    .add(request.hasIfNoneExist() ? type + "?" + request.getIfNoneExist() : request.getUrl());
        }
    }

    /** Resource type → how many distinct resources. */
    Map<String, Integer> counts() {
        Map<String, Integer> counts = new TreeMap<>();
        byType.forEach((type, resources) -> counts.put(type, resources.size()));
        return counts;
    }

    private static MappingSettings createMissing() {
        MappingSettings defaults = MappingSettings.defaults();
        return new MappingSettings(defaults.defaultTimezone(), true, defaults.ids(), defaults.issuerSystems(),
                defaults.defaultPatientSystem(), defaults.defaultAccessionSystem(), defaults.codingSchemes(),
                defaults.diagnosticReport(), defaults.maxEntriesPerBundle());
    }

    /** The server's totals (_summary=count) for the same resource types, to compare with {@link #counts()}. */
    Map<String, Integer> onServer(IGenericClient client) {
        Map<String, Integer> totals = new TreeMap<>();
        for (String type : byType.keySet()) {
            // no-cache: HAPI would answer a repeated search from its cache of the earlier answer
            totals.put(type, client.search().forResource(type).summaryMode(SummaryEnum.COUNT)
                    .cacheControl(new CacheControlDirective().setNoCache(true))
                    .returnBundle(Bundle.class).execute().getTotal());
        }
        return totals;
    }
}
