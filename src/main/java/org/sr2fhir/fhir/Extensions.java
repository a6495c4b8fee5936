package org.sr2fhir.fhir;

import java.util.List;

/**
 * The extensions sr2fhir defines where R5 and the IG have no element (decisions D18, D33). Their StructureDefinitions
 * are committed under {@code src/main/resources/fhir/extensions/} and loaded by {@link IgValidator}, so a Bundle that
 * carries them validates, and a receiver (or the R4 rendering) can read their definition.
 */
final class Extensions {
    static final String BASE = "http://sr2fhir.org/fhir/StructureDefinition/";

    /** Classpath resources of the StructureDefinitions, one per extension. */
    static final List<String> STRUCTURE_DEFINITIONS = List.of(
            "fhir/extensions/StructureDefinition-imaging-selection-image-region-3d.json",
            "fhir/extensions/StructureDefinition-dicom-unit-code.json");

    private Extensions() {
    }
}
