package org.sr2fhir.fhir;

/** The FHIR resources mapped from one measurement group. SKELETON: the mapping work (issue 4) completes it. */
public final class GroupResources {
}
