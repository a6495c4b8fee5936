package org.sr2fhir.tid1500;

import java.util.Map;

/** SOP Class UIDs the mapping names (PS3.4 Annex B.5), with their names for displays (D14) and messages. */
public final class SopClass {
    public static final String BASIC_TEXT_SR = "1.2.840.10008.5.1.4.1.1.88.11";
    public static final String ENHANCED_SR = "1.2.840.10008.5.1.4.1.1.88.22";
    public static final String COMPREHENSIVE_SR = "1.2.840.10008.5.1.4.1.1.88.33";
    public static final String COMPREHENSIVE_3D_SR = "1.2.840.10008.5.1.4.1.1.88.34";
    public static final String SEGMENTATION = "1.2.840.10008.5.1.4.1.1.66.4";
    public static final String RT_STRUCTURE_SET = "1.2.840.10008.5.1.4.1.1.481.3";
    public static final String REAL_WORLD_VALUE_MAPPING = "1.2.840.10008.5.1.4.1.1.67";

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry(BASIC_TEXT_SR, "Basic Text SR Storage"),
            Map.entry(ENHANCED_SR, "Enhanced SR Storage"),
            Map.entry(COMPREHENSIVE_SR, "Comprehensive SR Storage"),
            Map.entry(COMPREHENSIVE_3D_SR, "Comprehensive 3D SR Storage"),
            Map.entry("1.2.840.10008.5.1.4.1.1.88.35", "Extensible SR Storage"),
            Map.entry("1.2.840.10008.5.1.4.1.1.88.40", "Procedure Log Storage"),
            Map.entry("1.2.840.10008.5.1.4.1.1.88.50", "Mammography CAD SR Storage"),
            Map.entry("1.2.840.10008.5.1.4.1.1.88.59", "Key Object Selection Document Storage"),
            Map.entry("1.2.840.10008.5.1.4.1.1.88.65", "Chest CAD SR Storage"),
            Map.entry("1.2.840.10008.5.1.4.1.1.88.67", "X-Ray Radiation Dose SR Storage"),
            Map.entry("1.2.840.10008.5.1.4.1.1.88.68", "Radiopharmaceutical Radiation Dose SR Storage"),
            Map.entry("1.2.840.10008.5.1.4.1.1.88.69", "Colon CAD SR Storage"),
            Map.entry("1.2.840.10008.5.1.4.1.1.88.70", "Implantation Plan SR Storage"),
            Map.entry("1.2.840.10008.5.1.4.1.1.88.71", "Acquisition Context SR Storage"),
            Map.entry("1.2.840.10008.5.1.4.1.1.88.72", "Simplified Adult Echo SR Storage"),
            Map.entry("1.2.840.10008.5.1.4.1.1.88.73", "Patient Radiation Dose SR Storage"),
            Map.entry("1.2.840.10008.5.1.4.1.1.88.74", "Planned Imaging Agent Administration SR Storage"),
            Map.entry("1.2.840.10008.5.1.4.1.1.88.75", "Performed Imaging Agent Administration SR Storage"),
            Map.entry(SEGMENTATION, "Segmentation Storage"),
            Map.entry(RT_STRUCTURE_SET, "RT Structure Set Storage"),
            Map.entry(REAL_WORLD_VALUE_MAPPING, "Real World Value Mapping Storage"),
            Map.entry("1.2.840.10008.5.1.4.1.1.2", "CT Image Storage"),
            Map.entry("1.2.840.10008.5.1.4.1.1.2.1", "Enhanced CT Image Storage"),
            Map.entry("1.2.840.10008.5.1.4.1.1.4", "MR Image Storage"),
            Map.entry("1.2.840.10008.5.1.4.1.1.4.1", "Enhanced MR Image Storage"),
            Map.entry("1.2.840.10008.5.1.4.1.1.128", "Positron Emission Tomography Image Storage"),
            Map.entry("1.2.840.10008.5.1.4.1.1.130", "Enhanced PET Image Storage"),
            Map.entry("1.2.840.10008.5.1.4.1.1.1", "Computed Radiography Image Storage"),
            Map.entry("1.2.840.10008.5.1.4.1.1.1.1", "Digital X-Ray Image Storage - For Presentation"),
            Map.entry("1.2.840.10008.5.1.4.1.1.1.2", "Digital Mammography X-Ray Image Storage - For Presentation"),
            Map.entry("1.2.840.10008.5.1.4.1.1.6.1", "Ultrasound Image Storage"),
            Map.entry("1.2.840.10008.5.1.4.1.1.7", "Secondary Capture Image Storage"),
            Map.entry("1.2.840.10008.5.1.4.1.1.20", "Nuclear Medicine Image Storage"),
            Map.entry("1.2.840.10008.5.1.4.1.1.77.1.6", "VL Whole Slide Microscopy Image Storage"),
            Map.entry("1.2.840.10008.5.1.4.1.1.66.7", "Label Map Segmentation Storage"));

    private SopClass() {
    }

    /** The SOP class name, or null when unknown. */
    public static String name(String uid) {
        return uid == null ? null : NAMES.get(uid);
    }

    /** True for the SR SOP classes TID 1500 may be written in (decision D1). */
    public static boolean isMeasurementReportClass(String uid) {
        return ENHANCED_SR.equals(uid) || COMPREHENSIVE_SR.equals(uid) || COMPREHENSIVE_3D_SR.equals(uid);
    }
}
