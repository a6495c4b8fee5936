package org.sr2fhir.sr;

import java.util.List;
import org.sr2fhir.dicom.DicomDataset;
import org.sr2fhir.dicom.DicomElement;
import org.sr2fhir.dicom.Tag;
import org.sr2fhir.dicom.VR;

/** Hand-built datasets for unit tests: a fluent wrapper over {@link DicomDataset}. */
final class Datasets {
    static final String COMPREHENSIVE_SR = "1.2.840.10008.5.1.4.1.1.88.33";

    private final DicomDataset dataset = new DicomDataset();

    static Datasets dataset() {
        return new Datasets();
    }

    /** A content item of the given value type, relationship and concept name (DCM designator). */
    static Datasets item(String relationship, String valueType, String code, String meaning) {
        Datasets item = dataset().str(Tag.ValueType, VR.CS, valueType).seq(Tag.ConceptNameCodeSequence,
                code("DCM", code, meaning));
        return relationship == null ? item : item.str(Tag.RelationshipType, VR.CS, relationship);
    }

    static Datasets code(String designator, String value, String meaning) {
        return dataset().str(Tag.CodeValue, VR.SH, value).str(Tag.CodingSchemeDesignator, VR.SH, designator)
                .str(Tag.CodeMeaning, VR.LO, meaning);
    }

    /** An SR document root: SOP common + root CONTAINER with the given children. */
    static Datasets document(Datasets... children) {
        return item(null, "CONTAINER", "126000", "Imaging Measurement Report")
                .str(Tag.SOPClassUID, VR.UI, COMPREHENSIVE_SR).str(Tag.SOPInstanceUID, VR.UI, "1.2.3.4")
                .str(Tag.ContinuityOfContent, VR.CS, "SEPARATE").seq(Tag.ContentSequence, children);
    }

    Datasets str(int tag, VR vr, String... values) {
        dataset.put(DicomElement.ofStrings(tag, vr, List.of(values)));
        return this;
    }

    Datasets doubles(int tag, VR vr, double... values) {
        dataset.put(new DicomElement(tag, vr, values));
        return this;
    }

    Datasets longs(int tag, VR vr, long... values) {
        dataset.put(new DicomElement(tag, vr, values));
        return this;
    }

    Datasets seq(int tag, Datasets... items) {
        dataset.put(DicomElement.ofItems(tag, java.util.Arrays.stream(items).map(Datasets::get).toList()));
        return this;
    }

    DicomDataset get() {
        return dataset;
    }
}
