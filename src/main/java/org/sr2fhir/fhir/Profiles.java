package org.sr2fhir.fhir;

import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;

/**
 * Canonical URLs of the IG profiles (claimed in meta.profile, decision D22) and the fixed codings their patterns
 * require, displays included (ig-digest §2, §3.11).
 */
final class Profiles {
    static final String BASE = "http://hl7.org/fhir/uv/dicom-sr/StructureDefinition/";
    static final String MEASUREMENT_GROUP = BASE + "imaging-measurement-group";
    static final String MEASUREMENT = BASE + "imaging-measurement";
    static final String QUALITATIVE_EVALUATION = BASE + "imaging-qualitative-evaluation";
    static final String DERIVED_MEASUREMENT = BASE + "derived-imaging-measurement";
    static final String IMAGE_REGION_2D = BASE + "image-region-2d";
    static final String IMAGE_REGION_3D = BASE + "image-region-3d";
    static final String REFERENCED_SEGMENT = BASE + "referenced-segment";
    static final String REFERENCED_SEGMENTATION_FRAME = BASE + "referenced-segmentation-frame";
    static final String REGION_IN_SPACE = BASE + "region-in-space";
    static final String VOLUME_SURFACE = BASE + "volume-surface";
    static final String REAL_WORLD_VALUE_MAP = BASE + "real-world-value-map";
    static final String ILLUSTRATION_OF_ROI = BASE + "illustration-of-roi";
    static final String VISUAL_EXPLANATION = BASE + "visual-explanation";
    static final String SOURCE_IMAGE_FOR_SEGMENTATION = BASE + "source-image-for-segmentation";
    static final String SOURCE_SR_CONTENT_ITEM = BASE + "source-sr-content-item";
    static final String FINDING_SITE = BASE + "dicom-sr-finding-site";
    static final String GENERAL_EQUIPMENT = BASE + "dicom-general-equipment";
    static final String ALGORITHM = BASE + "algorithm-identification";
    static final String PARTICIPANT_DEVICE = BASE + "dicom-participant-device";
    static final String PARTICIPANT_PERSON = BASE + "dicom-participant-person";

    static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    static final String UMLS = "http://terminology.hl7.org/CodeSystem/umls";
    static final String DICOM_UID = "urn:dicom:uid";
    /** SOP class codings (decision D14, ig-digest §2.7). */
    static final String SOP_CLASS_SYSTEM = "https://dicom.nema.org/medical/dicom/current/output/chtml/part04/sect_B.5";
    static final String IDENTIFIER_TYPE = "http://hl7.org/fhir/uv/dicom-sr/CodeSystem/dicom-identifier-type";
    static final String V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203";

    private Profiles() {
    }

    static Coding dcm(String code, String display) {
        return new Coding(DCM, code, display);
    }

    static CodeableConcept dcmConcept(String code, String display) {
        return new CodeableConcept(dcm(code, display));
    }

    /** A UID as an Identifier.value with system urn:dicom:uid (decision D14). */
    static String oid(String uid) {
        return "urn:oid:" + uid;
    }
}
