package org.sr2fhir.tid1500;

import org.sr2fhir.sr.CodedConcept;
import org.sr2fhir.sr.ReferencedSop;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

/**
 * A region or reference item of a measurement group, measurement or qualitative evaluation that maps to an
 * ImagingSelection (ig-digest §3.8; decisions D25, D28).
 * Which fields are set depends on {@link #kind()}: SOP references for IMAGE/COMPOSITE items, graphic type and
 * coordinates for SCOORD/SCOORD3D, the Frame of Reference for SCOORD3D, the ROI identification (DCM 130489
 * TEXT child) for Region In Space.
 *
 * @param sop           the referenced instance: the IMAGE/COMPOSITE value, or for a SCOORD the IMAGE it is
 *                      SELECTED FROM (never null for 2D regions: one without an image is not mapped)
 * @param coordinates   Graphic Data in order, as written (column,row pairs or x,y,z triples)
 */
public record RegionReference(Kind kind, String path, String observationUid, ReferencedSop sop,
                              String graphicType, List<BigDecimal> coordinates, String frameOfReferenceUid,
                              String roiIdentifier) {

    /** SCOORD Graphic Type, enumerated values (PS3.3 C.18.6.1.1). */
    static final Set<String> SCOORD_GRAPHIC_TYPES = Set.of("POINT", "MULTIPOINT", "POLYLINE", "CIRCLE", "ELLIPSE");
    /** SCOORD3D Graphic Type, enumerated values (PS3.3 C.18.9.1.2). */
    static final Set<String> SCOORD3D_GRAPHIC_TYPES = Set.of("POINT", "MULTIPOINT", "POLYLINE", "POLYGON", "ELLIPSE",
            "ELLIPSOID");

    public RegionReference {
        coordinates = coordinates == null ? List.of() : List.copyOf(coordinates);
    }

    /**
     * The region/reference rows of TID 1410 and TID 1411, by the concept name they are written with, and the source
     * image of a TID 1501 group or a TID 300 measurement (decision D28), which has one of several names or none.
     */
    public enum Kind {
        IMAGE_REGION_2D("DCM", "111030"),
        IMAGE_REGION_3D("DCM", "111030"),
        REFERENCED_SEGMENT("DCM", "121191"),
        REFERENCED_SEGMENTATION_FRAME("DCM", "121214"),
        REGION_IN_SPACE("DCM", "130488"),
        VOLUME_SURFACE("DCM", "121231"),
        REAL_WORLD_VALUE_MAP("DCM", "126100"),
        ILLUSTRATION_OF_ROI("DCM", "121200"),
        VISUAL_EXPLANATION("DCM", "130401"),
        SOURCE_IMAGE("SCT", "260753009");

        private final String designator;
        private final String code;

        Kind(String designator, String code) {
            this.designator = designator;
            this.code = code;
        }

        /** True when {@code concept} is the concept name this kind is written with (SCT also as legacy SRT). */
        boolean isNamed(CodedConcept concept) {
            return "SCT".equals(designator) ? LegacyCodes.isSct(concept, code)
                    : concept != null && concept.is(designator, code);
        }
    }
}
