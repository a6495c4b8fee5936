package org.sr2fhir.dicom;

/** Data element tags used by sr2fhir (PS3.6), as (group << 16 | element). Add tags here, never inline hex. */
public final class Tag {
    private Tag() {
    }

    // File Meta (PS3.10 §7.1)
    public static final int FileMetaInformationGroupLength = 0x00020000;
    public static final int MediaStorageSOPClassUID = 0x00020002;
    public static final int MediaStorageSOPInstanceUID = 0x00020003;
    public static final int TransferSyntaxUID = 0x00020010;

    // SOP Common, General Study/Series, Equipment
    public static final int SpecificCharacterSet = 0x00080005;
    public static final int SOPClassUID = 0x00080016;
    public static final int SOPInstanceUID = 0x00080018;
    public static final int StudyDate = 0x00080020;
    public static final int ContentDate = 0x00080023;
    public static final int StudyTime = 0x00080030;
    public static final int ContentTime = 0x00080033;
    public static final int AccessionNumber = 0x00080050;
    public static final int IssuerOfAccessionNumberSequence = 0x00080051;
    public static final int Modality = 0x00080060;
    public static final int Manufacturer = 0x00080070;
    public static final int InstitutionName = 0x00080080;
    public static final int ReferringPhysicianName = 0x00080090;
    public static final int CodeValue = 0x00080100;
    public static final int CodingSchemeDesignator = 0x00080102;
    public static final int CodingSchemeVersion = 0x00080103;
    public static final int CodeMeaning = 0x00080104;
    public static final int CodingSchemeIdentificationSequence = 0x00080110;
    public static final int CodingSchemeRegistry = 0x00080112;
    public static final int CodingSchemeExternalID = 0x00080114;
    public static final int CodingSchemeName = 0x00080115;
    public static final int CodingSchemeResponsibleOrganization = 0x00080116;
    public static final int LongCodeValue = 0x00080119;
    public static final int URNCodeValue = 0x00080120;
    public static final int CodingSchemeUID = 0x0008010C;
    public static final int TimezoneOffsetFromUTC = 0x00080201;
    public static final int StationName = 0x00081010;
    public static final int StudyDescription = 0x00081030;
    public static final int SeriesDescription = 0x0008103E;
    public static final int ManufacturerModelName = 0x00081090;
    public static final int ReferencedSeriesSequence = 0x00081115;
    public static final int ReferencedSOPClassUID = 0x00081150;
    public static final int ReferencedSOPInstanceUID = 0x00081155;
    public static final int ReferencedFrameNumber = 0x00081160;
    public static final int ReferencedWaveformChannels = 0x0040A0B0;
    public static final int ReferencedSOPSequence = 0x00081199;

    // Patient
    public static final int PatientName = 0x00100010;
    public static final int PatientID = 0x00100020;
    public static final int IssuerOfPatientID = 0x00100021;
    public static final int TypeOfPatientID = 0x00100022;
    public static final int IssuerOfPatientIDQualifiersSequence = 0x00100024;
    public static final int PatientBirthDate = 0x00100030;
    public static final int PatientSex = 0x00100040;

    // Equipment
    public static final int DeviceSerialNumber = 0x00181000;
    public static final int DeviceUID = 0x00181002;
    public static final int UniqueDeviceIdentifier = 0x00181009;
    public static final int UDISequence = 0x0018100A;
    public static final int SoftwareVersions = 0x00181020;

    // Study / Series
    public static final int StudyInstanceUID = 0x0020000D;
    public static final int SeriesInstanceUID = 0x0020000E;
    public static final int StudyID = 0x00200010;
    public static final int SeriesNumber = 0x00200011;
    public static final int InstanceNumber = 0x00200013;

    // Issuer macros (PS3.3 §10.12 HL7v2 Hierarchic Designator)
    public static final int LocalNamespaceEntityID = 0x00400031;
    public static final int UniversalEntityID = 0x00400032;
    public static final int UniversalEntityIDType = 0x00400033;

    // SR Document General / Content modules (PS3.3 C.17.2, C.17.3)
    public static final int ObserverType = 0x0040A084;
    public static final int ParticipationType = 0x0040A080;
    public static final int ParticipationDateTime = 0x0040A082;
    public static final int ParticipantSequence = 0x0040A07A;
    public static final int PersonName = 0x0040A123;
    public static final int RelationshipType = 0x0040A010;
    public static final int VerifyingObserverSequence = 0x0040A073;
    public static final int VerifyingObserverName = 0x0040A075;
    public static final int VerifyingOrganization = 0x0040A027;
    public static final int VerificationDateTime = 0x0040A030;
    public static final int ObservationDateTime = 0x0040A032;
    public static final int ValueType = 0x0040A040;
    public static final int ConceptNameCodeSequence = 0x0040A043;
    public static final int ContinuityOfContent = 0x0040A050;
    public static final int DateTime = 0x0040A120;
    public static final int Date = 0x0040A121;
    public static final int Time = 0x0040A122;
    public static final int UID = 0x0040A124;
    public static final int TemporalRangeType = 0x0040A130;
    public static final int ReferencedSamplePositions = 0x0040A132;
    public static final int ReferencedTimeOffsets = 0x0040A138;
    public static final int ReferencedDateTime = 0x0040A13A;
    public static final int TextValue = 0x0040A160;
    public static final int FloatingPointValue = 0x0040A161;
    public static final int RationalNumeratorValue = 0x0040A162;
    public static final int RationalDenominatorValue = 0x0040A163;
    public static final int ConceptCodeSequence = 0x0040A168;
    public static final int ObservationUID = 0x0040A171;
    public static final int MeasuredValueSequence = 0x0040A300;
    public static final int NumericValueQualifierCodeSequence = 0x0040A301;
    public static final int NumericValue = 0x0040A30A;
    public static final int MeasurementUnitsCodeSequence = 0x004008EA;
    public static final int CurrentRequestedProcedureEvidenceSequence = 0x0040A375;
    public static final int PertinentOtherEvidenceSequence = 0x0040A385;
    public static final int PreliminaryFlag = 0x0040A496;
    public static final int CompletionFlag = 0x0040A491;
    public static final int CompletionFlagDescription = 0x0040A492;
    public static final int VerificationFlag = 0x0040A493;
    public static final int ContentTemplateSequence = 0x0040A504;
    public static final int ContentSequence = 0x0040A730;
    public static final int MappingResource = 0x00080105;
    public static final int TemplateIdentifier = 0x0040DB00;
    public static final int ReferencedContentItemIdentifier = 0x0040DB73;
    public static final int ReferencedRequestSequence = 0x0040A370;
    public static final int RequestedProcedureID = 0x00401001;

    // Spatial coordinates (PS3.3 C.18.6, C.18.9)
    public static final int GraphicData = 0x00700022;
    public static final int GraphicType = 0x00700023;
    public static final int PixelOriginInterpretation = 0x00480301;
    public static final int FiducialUID = 0x0070031A;
    public static final int ReferencedFrameOfReferenceUID = 0x30060024;

    // Segmentation references
    public static final int ReferencedSegmentNumber = 0x0062000B;


    // Sequence delimitation (PS3.5 §7.5)
    public static final int Item = 0xFFFEE000;
    public static final int ItemDelimitationItem = 0xFFFEE00D;
    public static final int SequenceDelimitationItem = 0xFFFEE0DD;

    /** "(gggg,eeee)" form used in every message. */
    public static String toString(int tag) {
        return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }
}
