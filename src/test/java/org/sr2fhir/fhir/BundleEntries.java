package org.sr2fhir.fhir;

import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Observation;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.Resource;

import java.util.List;

/** Looking resources up in a mapped transaction Bundle, for the mapping tests. */
final class BundleEntries {
    private BundleEntries() {
    }

    static <T extends Resource> List<T> all(Bundle bundle, Class<T> type) {
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(type::isInstance)
                .map(type::cast).toList();
    }

    static List<Observation> withProfile(Bundle bundle, String profile) {
        return all(bundle, Observation.class).stream().filter(o -> o.getMeta().hasProfile(profile)).toList();
    }

    /** The entry a reference inside the Bundle (its fullUrl) points at. */
    static Resource resolve(Bundle bundle, Reference reference) {
        return bundle.getEntry().stream().filter(e -> e.getFullUrl().equals(reference.getReference()))
                .map(Bundle.BundleEntryComponent::getResource).findFirst().orElseThrow();
    }
}
