package org.sr2fhir.tid1500;

import org.sr2fhir.sr.ReferencedSop;

import java.math.BigDecimal;
import java.util.List;

/**
 * A region or reference item of a measurement group that the IG maps to an ImagingSelection (ig-digest §3.8).
 * Which fields are set depends on {@link #kind()}: SOP references for IMAGE/COMPOSITE items, graphic type and
 * coordinates for SCOORD/SCOORD3D, the Frame of Reference for SCOORD3D, the ROI identification (DCM 130489
 * TEXT child) for Region In Space.
 *
 * @param sop           the referenced instance: the IMAGE/COMPOSITE value, or for a SCOORD the IMAGE it is
 *                      SELECTED FROM (null when the producer wrote none)
 * @param coordinates   Graphic Data in order, as written (column,row pairs or x,y,z triples)
 */
public record RegionReference(Kind kind, String path, String observationUid, ReferencedSop sop,
                              String graphicType, List<BigDecimal> coordinates, String frameOfReferenceUid,
                              String roiIdentifier) {

    public RegionReference {
        coordinates = coordinates == null ? List.of() : List.copyOf(coordinates);
    }

    /** The region/reference rows of TID 1410 and TID 1411, by the concept name (DCM) they are written with. */
    public enum Kind {
        IMAGE_REGION_2D("111030"),
        IMAGE_REGION_3D("111030"),
        REFERENCED_SEGMENT("121191"),
        REFERENCED_SEGMENTATION_FRAME("121214"),
        REGION_IN_SPACE("130488"),
        VOLUME_SURFACE("121231"),
        REAL_WORLD_VALUE_MAP("126100"),
        ILLUSTRATION_OF_ROI("121200"),
        VISUAL_EXPLANATION("130401");

        private final String dcmCode;

        Kind(String dcmCode) {
            this.dcmCode = dcmCode;
        }

        /** The DCM concept name code of the content item. */
        public String dcmCode() {
            return dcmCode;
        }
    }
}
