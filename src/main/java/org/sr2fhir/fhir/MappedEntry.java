package org.sr2fhir.fhir;

import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Resource;

/**
 * One resource as it goes into the transaction Bundle: its fullUrl (what references inside the Bundle use), the
 * reference other Bundles use to reach it after commit (D6 parts), and its request (decision D5).
 *
 * @param externalReference "Type/id" for PUT entries, a conditional reference for POST + ifNoneExist entries
 */
record MappedEntry(Resource resource, String fullUrl, String externalReference, Bundle.HTTPVerb method,
                   String requestUrl, String ifNoneExist) {

    /** A fresh Bundle entry holding a copy of the resource (mapped resources are never shared between Bundles). */
    Bundle.BundleEntryComponent toEntry() {
        Bundle.BundleEntryComponent entry = new Bundle.BundleEntryComponent();
        entry.setFullUrl(fullUrl);
        entry.setResource(resource.copy());
        entry.getRequest().setMethod(method).setUrl(requestUrl);
        if (ifNoneExist != null) {
            entry.getRequest().setIfNoneExist(ifNoneExist);
        }
        return entry;
    }
}
