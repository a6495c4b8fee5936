package org.sr2fhir.sr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.dicom.DicomDataset;
import org.sr2fhir.dicom.Tag;
import org.sr2fhir.sr.SrDocumentHeader.Equipment;
import org.sr2fhir.sr.SrDocumentHeader.EvidenceSeries;
import org.sr2fhir.sr.SrDocumentHeader.EvidenceStudy;
import org.sr2fhir.sr.SrDocumentHeader.Issuer;
import org.sr2fhir.sr.SrDocumentHeader.Participant;
import org.sr2fhir.sr.SrDocumentHeader.Patient;
import org.sr2fhir.sr.SrDocumentHeader.Study;
import org.sr2fhir.sr.SrDocumentHeader.VerifyingObserver;

/**
 * Builds the {@link SrDocument} (header values and content tree) of an SR dataset. Stateless and thread-safe.
 * Rejects with {@link SrDocumentException} a dataset that is not an SR document; tolerates producer slips inside
 * the tree with a warning on the document.
 */
public final class SrDocumentBuilder {

    /** Every SR Document storage SOP class is under this root (PS3.4 B.5, PS3.6 Annex A). */
    private static final String SR_STORAGE_ROOT = "1.2.840.10008.5.1.4.1.1.88.";

    /** Non-SR SOP classes met next to SRs, named in rejections so a user sees at once what was sent. */
    private static final Map<String, String> OTHER_SOP_CLASSES = Map.of(
            "1.2.840.10008.5.1.4.1.1.66.4", "Segmentation Storage",
            "1.2.840.10008.5.1.4.1.1.2", "CT Image Storage",
            "1.2.840.10008.5.1.4.1.1.4", "MR Image Storage",
            "1.2.840.10008.5.1.4.1.1.128", "Positron Emission Tomography Image Storage",
            "1.2.840.10008.5.1.4.1.1.11.1", "Grayscale Softcopy Presentation State Storage",
            "1.2.840.10008.5.1.4.1.1.481.3", "RT Structure Set Storage",
            "1.2.840.10008.5.1.4.1.1.104.1", "Encapsulated PDF Storage",
            "1.2.840.10008.5.1.4.1.1.7", "Secondary Capture Image Storage");

    public SrDocument build(DicomDataset dataset, String source) throws InputRejectedException {
        String sopInstanceUid = dataset.getString(Tag.SOPInstanceUID);
        List<String> warnings = new ArrayList<>(dataset.warnings());
        String sopClassUid = checkIsSrDocument(dataset, source, sopInstanceUid, warnings);

        Map<String, String> codingSchemeUids = codingSchemeUids(dataset);
        ContentItem.Container root =
                new ContentTreeReader(source, sopInstanceUid, codingSchemeUids, warnings).readTree(dataset);
        return new SrDocument(source, dataset, header(dataset, sopClassUid), root, codingSchemeUids, warnings);
    }

    /**
     * SR storage SOP class, root CONTAINER with a Content Sequence (PS3.3 C.17.3); anything else is rejected.
     * Returns the SOP Class UID.
     */
    private static String checkIsSrDocument(DicomDataset dataset, String source, String sopInstanceUid,
                                          List<String> warnings) throws SrDocumentException {
        String sopClass = dataset.getString(Tag.SOPClassUID);
        if (sopClass == null && dataset.getString(Tag.MediaStorageSOPClassUID) != null) {
            sopClass = dataset.getString(Tag.MediaStorageSOPClassUID);
            warnings.add("the dataset has no SOP Class UID (0008,0016); the File Meta Media Storage SOP Class UID "
                    + sopClass + " is used");
        }
        if (sopClass == null) {
            throw new SrDocumentException(source, sopInstanceUid,
                    "not an SR document: it has no SOP Class UID (0008,0016)");
        }
        if (!sopClass.startsWith(SR_STORAGE_ROOT)) {
            String name = OTHER_SOP_CLASSES.get(sopClass);
            throw new SrDocumentException(source, sopInstanceUid, "not an SR document: SOP class "
                    + (name == null ? sopClass : name + " (" + sopClass + ")") + " is not an SR storage SOP class");
        }
        String valueType = dataset.getString(Tag.ValueType);
        if (!"CONTAINER".equals(valueType)) {
            throw new SrDocumentException(source, sopInstanceUid, "not a readable SR document: "
                    + (valueType == null ? "it has no root content item (no Value Type (0040,A040))"
                    : "its root content item has Value Type " + valueType + ", not CONTAINER"));
        }
        if (!dataset.contains(Tag.ContentSequence)) {
            throw new SrDocumentException(source, sopInstanceUid,
                    "not a readable SR document: its root CONTAINER has no Content Sequence (0040,A730)");
        }
        return sopClass;
    }

    /** Coding Scheme Identification Sequence (0008,0110): designator → Coding Scheme UID. */
    private static Map<String, String> codingSchemeUids(DicomDataset dataset) {
        Map<String, String> uids = new LinkedHashMap<>();
        for (DicomDataset scheme : dataset.getSequence(Tag.CodingSchemeIdentificationSequence)) {
            String designator = scheme.getString(Tag.CodingSchemeDesignator);
            String uid = scheme.getString(Tag.CodingSchemeUID);
            if (designator != null && uid != null) {
                uids.putIfAbsent(designator, uid);
            }
        }
        return uids;
    }

    private static SrDocumentHeader header(DicomDataset ds, String sopClassUid) {
        return new SrDocumentHeader(
                sopClassUid,
                ds.getString(Tag.SOPInstanceUID),
                ds.getString(Tag.StudyInstanceUID),
                ds.getString(Tag.SeriesInstanceUID),
                ds.getString(Tag.Modality),
                ds.getString(Tag.SeriesNumber),
                ds.getString(Tag.InstanceNumber),
                ds.hasValue(Tag.SpecificCharacterSet) ? String.join("\\", ds.getStrings(Tag.SpecificCharacterSet))
                        : null,
                new Patient(ds.getString(Tag.PatientID), ds.getString(Tag.IssuerOfPatientID),
                        issuer(ds.getItem(Tag.IssuerOfPatientIDQualifiersSequence)),
                        ds.getPersonName(Tag.PatientName), ds.getString(Tag.PatientBirthDate),
                        ds.getString(Tag.PatientSex)),
                new Study(ds.getString(Tag.StudyID), ds.getString(Tag.StudyDate), ds.getString(Tag.StudyTime),
                        ds.getString(Tag.StudyDescription), ds.getString(Tag.AccessionNumber),
                        issuer(ds.getItem(Tag.IssuerOfAccessionNumberSequence)),
                        ds.getPersonName(Tag.ReferringPhysicianName)),
                equipment(ds),
                ds.getString(Tag.ContentDate),
                ds.getString(Tag.ContentTime),
                ds.getString(Tag.TimezoneOffsetFromUTC),
                ds.getString(Tag.CompletionFlag),
                ds.getString(Tag.VerificationFlag),
                ds.getString(Tag.PreliminaryFlag),
                ds.getSequence(Tag.ParticipantSequence).stream().map(SrDocumentBuilder::participant).toList(),
                ds.getSequence(Tag.VerifyingObserverSequence).stream()
                        .map(v -> new VerifyingObserver(v.getPersonName(Tag.VerifyingObserverName),
                                v.getString(Tag.VerifyingOrganization), v.getString(Tag.VerificationDateTime)))
                        .toList(),
                evidence(ds.getSequence(Tag.CurrentRequestedProcedureEvidenceSequence)),
                evidence(ds.getSequence(Tag.PertinentOtherEvidenceSequence)));
    }

    /** HL7v2 Hierarchic Designator macro (PS3.3 Table 10-17). */
    private static Issuer issuer(DicomDataset item) {
        return item == null ? null : new Issuer(item.getString(Tag.LocalNamespaceEntityID),
                item.getString(Tag.UniversalEntityID), item.getString(Tag.UniversalEntityIDType));
    }

    /** General Equipment module (PS3.3 C.7.5.1); UDI Sequence (0018,100A) items give the UDIs. */
    private static Equipment equipment(DicomDataset ds) {
        List<String> udis = ds.getSequence(Tag.UDISequence).stream()
                .map(u -> u.getString(Tag.UniqueDeviceIdentifier)).filter(u -> u != null).toList();
        return new Equipment(ds.getString(Tag.Manufacturer), ds.getString(Tag.ManufacturerModelName),
                ds.getString(Tag.DeviceSerialNumber), ds.getString(Tag.DeviceUID), udis,
                ds.getStrings(Tag.SoftwareVersions).stream().filter(v -> !v.isEmpty()).toList(),
                ds.getString(Tag.StationName), ds.getString(Tag.InstitutionName));
    }

    /** Participant Sequence item (PS3.3 C.17.2): Identified Person or Device macro + Institution. */
    private static Participant participant(DicomDataset p) {
        return new Participant(p.getString(Tag.ParticipationType), p.getString(Tag.ParticipationDateTime),
                p.getString(Tag.ObserverType), p.getPersonName(Tag.PersonName), p.getString(Tag.DeviceUID),
                p.getString(Tag.Manufacturer), p.getString(Tag.ManufacturerModelName),
                p.getString(Tag.InstitutionName));
    }

    /** Hierarchical SOP Instance Reference Macro (PS3.3 Table C.17-3): study → series → instances. */
    private static List<EvidenceStudy> evidence(List<DicomDataset> studies) {
        return studies.stream().map(study -> new EvidenceStudy(study.getString(Tag.StudyInstanceUID),
                study.getSequence(Tag.ReferencedSeriesSequence).stream()
                        .map(series -> new EvidenceSeries(series.getString(Tag.SeriesInstanceUID),
                                series.getSequence(Tag.ReferencedSOPSequence).stream()
                                        .map(sop -> ReferencedSop.of(sop.getString(Tag.ReferencedSOPClassUID),
                                                sop.getString(Tag.ReferencedSOPInstanceUID)))
                                        .toList()))
                        .toList()))
                .toList();
    }
}
