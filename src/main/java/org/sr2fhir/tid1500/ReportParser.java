package org.sr2fhir.tid1500;

import org.sr2fhir.InputRejectedException;
import org.sr2fhir.dicom.PersonName;
import org.sr2fhir.sr.CodedConcept;
import org.sr2fhir.sr.ContentItem;
import org.sr2fhir.sr.RelationshipType;
import org.sr2fhir.sr.ReferencedSop;
import org.sr2fhir.sr.SrDocument;
import org.sr2fhir.sr.SrDocumentHeader;
import org.sr2fhir.sr.ValueType;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the TID 1500 model out of one SR content tree. One instance per document. Every content item ends up in the
 * model, or in its list of items not mapped with the reason (decision D34); departures from TID 1500 that are
 * tolerated are listed as deviations. Nothing is logged here: the conversion report says it once per report.
 */
final class ReportParser {
    /** CID 7021 Measurement Report Document Titles. */
    private static final Set<String> CID_7021 = Set.of("126000", "126001", "126002", "126003", "126004",
            "126005", "126006", "126007");
    private static final String NO_RULE = "no mapping rule: TID 1500 as the IG maps it has no place for this item";

    private final SrDocument document;
    private final List<NotMappedItem> notMapped = new ArrayList<>();
    private final List<Deviation> deviations = new ArrayList<>();
    private int groupCount;
    /** The root says TID 1500 by its title or its template: a group under the root is then unambiguous (D23). */
    private boolean titledTid1500;
    private List<ContextItem> documentTimePoint = List.of();

    ReportParser(SrDocument document) {
        this.document = document;
    }

    MeasurementReport parse() throws InputRejectedException {
        ContentItem.Container root = document.root();
        recognise(root);
        document.warnings().forEach(w -> deviations.add(new Deviation(null, w, null)));
        String rootDateTime = root.observationDateTime();
        ObserverContext observers = new ObserverContext();
        List<ContentItem> content = new ArrayList<>();
        for (ContentItem child : root.children()) {
            if (child.relationship() == RelationshipType.HAS_OBS_CONTEXT) {
                observers.read(child);
            } else {
                content.add(child);
            }
        }
        documentTimePoint = observers.timePoint;
        AlgorithmIdentification measurementsAlgorithm = null;
        List<MeasurementGroup> groups = new ArrayList<>();
        List<ContentItem> derivedContainers = new ArrayList<>();
        List<ContentItem> evaluationContainers = new ArrayList<>();
        for (ContentItem child : content) {
            if (child.is("DCM", "126010") && child instanceof ContentItem.Container measurements) {
                measurementsAlgorithm = AlgorithmIdentification.of(measurements);
                String dateTime = dateTime(measurements, rootDateTime);
                for (ContentItem item : measurements.children()) {
                    if (isGroup(item)) {
                        groups.add(group((ContentItem.Container) item, measurementsAlgorithm, dateTime, groupCount++));
                    } else if (item.is("DCM", "126011") && item instanceof ContentItem.Container) {
                        derivedContainers.add(item); // decision D2: also accepted inside 126010
                    } else if (isQualitativeEvaluationsContainer(item)) {
                        evaluationContainers.add(item);
                    } else if (!AlgorithmIdentification.isRow(item)) {
                        notMapped(item);
                    }
                }
            } else if (isGroup(child) && titledTid1500) {
                // decision D23: a Measurement Group directly under a TID 1500 root is read as if inside 126010
                deviations.add(new Deviation(child.path(), "Measurement Group directly under the root (no Imaging "
                        + "Measurements container): read as if inside one", "D23"));
                groups.add(group((ContentItem.Container) child, null, rootDateTime, groupCount++));
            } else if (child.is("DCM", "126011") && child instanceof ContentItem.Container) {
                derivedContainers.add(child);
            } else if (isQualitativeEvaluationsContainer(child)) {
                evaluationContainers.add(child);
            } else {
                notMapped(child);
            }
        }
        List<DerivedMeasurement> derived = new ArrayList<>();
        for (ContentItem container : derivedContainers) {
            derived.addAll(derivedMeasurements(container, dateTime(container, rootDateTime)));
        }
        List<QualitativeEvaluation> evaluations = new ArrayList<>();
        AlgorithmIdentification evaluationsAlgorithm = null;
        for (ContentItem container : evaluationContainers) {
            AlgorithmIdentification algorithm = AlgorithmIdentification.of(container);
            evaluationsAlgorithm = evaluationsAlgorithm == null ? algorithm : evaluationsAlgorithm;
            String dateTime = dateTime(container, rootDateTime);
            for (ContentItem item : container.children()) {
                if (isQualitativeEvaluation(item)) {
                    evaluations.add(evaluation(item, dateTime));
                } else if (!AlgorithmIdentification.isRow(item)) {
                    notMapped(item);
                }
            }
        }
        uidsTooLongForFhirIds(groups);
        return new MeasurementReport(document, root.conceptName(), observers.persons(), observers.device(),
                documentTimePoint, measurementsAlgorithm, groups, derived, evaluations, evaluationsAlgorithm, notMapped,
                deviations);
    }

    /**
     * Decision D1 as extended: an Enhanced, Comprehensive or Comprehensive 3D SR that says it is TID 1500 by its title
     * (CID 7021) or its Content Template (1500, read leniently: "TID1500", " 1500 "), or that has the TID 1500 shape
     * (an Imaging Measurements, Derived Imaging Measurements or Qualitative Evaluations container under the root).
     * A template other than 1500 on a document of that shape, or a title outside CID 7021, is a tolerated deviation.
     * A document recognised this way but with nothing to map is refused later, saying what it holds (D23).
     */
    private void recognise(ContentItem.Container root) throws InputRejectedException {
        String sopClass = document.header().sopClassUid();
        String what = documentKind(sopClass);
        if (!SopClass.isMeasurementReportClass(sopClass)) {
            throw reject(what + ", not a TID 1500 measurement report");
        }
        CodedConcept title = root.conceptName();
        String template = templateNumber(root.templateId());
        boolean titleInCid7021 = title != null && "DCM".equals(title.designator()) && title.code() != null
                && CID_7021.contains(title.code());
        titledTid1500 = titleInCid7021 || "1500".equals(template);
        boolean shape = root.children().stream().anyMatch(c -> c instanceof ContentItem.Container
                && (c.is("DCM", "126010") || c.is("DCM", "126011") || isQualitativeEvaluationsContainer(c)));
        String titled = title == null ? "with no document title" : "titled " + title;
        if (!shape && !titledTid1500) {
            String templated = template == null ? "" : " written with template TID " + template + ",";
            throw reject(what + " " + titled + templated + " without TID 1500 content (no Imaging Measurements, "
                    + "Derived Imaging Measurements or Qualitative Evaluations container), not a TID 1500 measurement "
                    + "report");
        }
        if (template != null && !"1500".equals(template)) {
            deviations.add(new Deviation(root.path(), "Content Template TID " + template
                    + " on a document with a TID 1500 title or content: read as TID 1500", "D1"));
        } else if (template != null && !"1500".equals(root.templateId())) {
            deviations.add(new Deviation(root.path(), "Template Identifier written \"" + root.templateId()
                    + "\": read as 1500", "D1"));
        }
        // decision D46: the title is the DiagnosticReport's and the report context's code (1..1); a title that
        // names no code cannot be mapped
        if (title == null || title.code() == null || title.code().isBlank()
                || (title.designator() == null || title.designator().isBlank()) && title.urnValue() == null) {
            throw reject("the document title (the root's Concept Name Code Sequence) " + (title == null ? "is missing"
                    : title.code() == null || title.code().isBlank() ? "has no Code Value"
                    : "has no Coding Scheme Designator") + "; a report cannot be named without it");
        }
        if (!titleInCid7021) {
            deviations.add(new Deviation(root.path(), "document " + titled + ", not a CID 7021 Measurement Report "
                    + "title", "D1"));
        }
    }

    /** The template number as written, without a "TID" prefix, spaces or leading zeros; null when none is written. */
    static String templateNumber(String templateId) {
        if (templateId == null || templateId.isBlank()) {
            return null;
        }
        String number = templateId.trim().toUpperCase(Locale.ROOT).replaceFirst("^TID", "").replace(" ", "")
                .replace("_", "");
        return number.replaceFirst("^0+(?=\\d)", "");
    }

    private static String documentKind(String sopClass) {
        if ("1.2.840.10008.5.1.4.1.1.88.59".equals(sopClass)) {
            return "Key Object Selection document";
        }
        String name = SopClass.name(sopClass);
        return name == null ? "SOP class " + sopClass : name.replace(" Storage", "");
    }

    private InputRejectedException reject(String reason) {
        return new InputRejectedException(document.source(), document.header().sopInstanceUid(), reason);
    }

    private static boolean isGroup(ContentItem item) {
        return item instanceof ContentItem.Container && item.is("DCM", "125007");
    }

    /** TID 1410 / 1411 / 1501: classifies the group's children (ig-digest §5 step 5). */
    private MeasurementGroup group(ContentItem.Container group, AlgorithmIdentification containerAlgorithm,
                                   String inheritedDateTime, int position) {
        String dateTime = dateTime(group, inheritedDateTime);
        String trackingIdentifier = null;
        String trackingUid = null;
        CodedConcept findingCategory = null;
        CodedConcept finding = null;
        CodedConcept method = null;
        String sourceSeries = null;
        List<FindingSite> sites = new ArrayList<>();
        List<ReferencedSop> sourceImages = new ArrayList<>();
        List<RegionReference> regions = new ArrayList<>();
        List<Measurement> measurements = new ArrayList<>();
        List<QualitativeEvaluation> evaluations = new ArrayList<>();
        List<ContextItem> activitySession = new ArrayList<>();
        List<ContextItem> timePoint = new ArrayList<>();
        for (ContentItem raw : group.children()) {
            ContentItem child = resolve(raw);
            if (child == null) {
                notMapped(raw);
            } else if (child instanceof ContentItem.Text text && child.is("DCM", "112039") && trackingIdentifier == null) {
                trackingIdentifier = text.text();
                childrenNotMapped(child);
            } else if (child instanceof ContentItem.UidRef uid && child.is("DCM", "112040") && trackingUid == null) {
                trackingUid = uid.uid();
                childrenNotMapped(child);
            } else if (child instanceof ContentItem.Code code && findingCategory == null
                    && LegacyCodes.isSct(child.conceptName(), "276214006")) {
                findingCategory = code.value();
                childrenNotMapped(child);
            } else if (child instanceof ContentItem.Code code && child.is("DCM", "121071") && finding == null) {
                finding = code.value();
                childrenNotMapped(child);
            } else if (child instanceof ContentItem.Code code && method == null
                    && LegacyCodes.isSct(child.conceptName(), "370129005")) {
                method = code.value();
                childrenNotMapped(child);
            } else if (FindingSite.is(child)) {
                findingSite((ContentItem.Code) child, sites);
            } else if (AlgorithmIdentification.isRow(child)) {
                continue; // read by AlgorithmIdentification.of below
            } else if (child instanceof ContentItem.UidRef uid && child.is("DCM", "121232") && sourceSeries == null) {
                sourceSeries = uid.uid();
                childrenNotMapped(child);
            } else if (child instanceof ContentItem.Image image && child.is("DCM", "121233") && image.sop() != null) {
                sourceImages.add(image.sop());
                childrenNotMapped(child);
            } else if (child instanceof ContentItem.Num && unnamed(child)) {
                notMapped(child, UNNAMED_NUM);
            } else if (child instanceof ContentItem.Num num && child.relationship() == RelationshipType.CONTAINS) {
                measurements.add(measurement(num, dateTime, false));
            } else if (isQualitativeEvaluation(child)) {
                evaluations.add(evaluation(child, dateTime));
            } else if (child instanceof ContentItem.Text && child.is("NCIt", "C67447")) {
                contextItems(child, activitySession); // decision D30
            } else if (child.relationship() == RelationshipType.HAS_OBS_CONTEXT && isTimePoint(child)) {
                contextItems(child, timePoint); // decision D29
            } else if (!region(child, regions)) {
                notMapped(child);
            }
        }
        // D29: the group's own time point replaces the document's
        List<ContextItem> context = new ArrayList<>(activitySession);
        context.addAll(timePoint.isEmpty() ? documentTimePoint : timePoint);
        return new MeasurementGroup(position, group.path(), group.templateId(), group.observationUid(), dateTime,
                trackingIdentifier, trackingUid, findingCategory, finding, sites, method,
                AlgorithmIdentification.of(group), containerAlgorithm, regions, sourceSeries, sourceImages,
                measurements, evaluations, context);
    }

    /**
     * The ROI and reference rows of TID 1410 (rows 6–11) and TID 1411 (rows 6–12), and TID 1501's source images (a
     * CONTAINS IMAGE named SCT 260753009 "Source", or, as older producers write it, not named at all; D28). Returns
     * false when the item is none of these; a row that is one but cannot be mapped is listed with its reason.
     */
    private boolean region(ContentItem item, List<RegionReference> regions) {
        String path = item.path();
        String uid = item.observationUid();
        if ((item instanceof ContentItem.Scoord || item instanceof ContentItem.Scoord3D) && item.is("DCM", "111030")) {
            return spatialRegion(item, regions);
        }
        if (item instanceof ContentItem.Scoord3D scoord && item.is("DCM", "121231")) {
            if (unknownGraphicType(item, scoord.graphicType(), RegionReference.SCOORD3D_GRAPHIC_TYPES)) {
                return true;
            }
            if (scoord.frameOfReferenceUid() == null) {
                notMapped(item, "Volume Surface without a Referenced Frame of Reference UID (3006,0024): "
                        + "volume-surface needs one");
                return true;
            }
            childrenNotMapped(item);
            regions.add(new RegionReference(RegionReference.Kind.VOLUME_SURFACE, path, uid, null,
                    scoord.graphicType(), scoord.graphicData(), scoord.frameOfReferenceUid(), null));
            return true;
        }
        if (item instanceof ContentItem.Image image && item.relationship() == RelationshipType.CONTAINS
                && (item.conceptName() == null || RegionReference.Kind.SOURCE_IMAGE.isNamed(item.conceptName()))) {
            return sourceImage(image, regions);
        }
        ReferencedSop sop = item instanceof ContentItem.Image image ? image.sop()
                : item instanceof ContentItem.Composite composite ? composite.sop() : null;
        if (sop == null) {
            return false;
        }
        for (RegionReference.Kind kind : List.of(RegionReference.Kind.REFERENCED_SEGMENT,
                RegionReference.Kind.REFERENCED_SEGMENTATION_FRAME, RegionReference.Kind.REGION_IN_SPACE,
                RegionReference.Kind.REAL_WORLD_VALUE_MAP, RegionReference.Kind.ILLUSTRATION_OF_ROI,
                RegionReference.Kind.VISUAL_EXPLANATION)) {
            if (kind.isNamed(item.conceptName())) {
                String roi = null;
                for (ContentItem child : item.children()) {
                    if (kind == RegionReference.Kind.REGION_IN_SPACE && roi == null
                            && child instanceof ContentItem.Text text && child.is("DCM", "130489")) {
                        roi = text.text();
                    } else {
                        notMapped(child);
                    }
                }
                regions.add(new RegionReference(kind, path, uid, sop, null, null, null, roi));
                return true;
            }
        }
        return false;
    }

    /** A SCOORD (with the IMAGE it is SELECTED FROM) or SCOORD3D (with its Frame of Reference), decisions D17, D18. */
    private boolean spatialRegion(ContentItem item, List<RegionReference> regions) {
        if (item instanceof ContentItem.Scoord scoord) {
            if (unknownGraphicType(item, scoord.graphicType(), RegionReference.SCOORD_GRAPHIC_TYPES)) {
                return true;
            }
            ReferencedSop image = null;
            for (ContentItem raw : item.children()) {
                ContentItem child = resolve(raw);
                if (image == null && child instanceof ContentItem.Image selected && selected.sop() != null) {
                    image = selected.sop();
                } else {
                    notMapped(raw);
                }
            }
            if (image == null) {
                notMapped(item, "image region (SCOORD) names no image it is SELECTED FROM: image-region-2d needs the "
                        + "image's SOP Instance UID");
                return true;
            }
            regions.add(new RegionReference(RegionReference.Kind.IMAGE_REGION_2D, item.path(), item.observationUid(),
                    image, scoord.graphicType(), scoord.graphicData(), null, null));
            return true;
        }
        ContentItem.Scoord3D scoord = (ContentItem.Scoord3D) item;
        if (unknownGraphicType(item, scoord.graphicType(), RegionReference.SCOORD3D_GRAPHIC_TYPES)) {
            return true;
        }
        if (scoord.frameOfReferenceUid() == null) {
            notMapped(item, "3D region (SCOORD3D) without a Referenced Frame of Reference UID (3006,0024): "
                    + "image-region-3d needs one");
            return true;
        }
        childrenNotMapped(item);
        regions.add(new RegionReference(RegionReference.Kind.IMAGE_REGION_3D, item.path(), item.observationUid(), null,
                scoord.graphicType(), scoord.graphicData(), scoord.frameOfReferenceUid(), null));
        return true;
    }

    /**
     * A region whose Graphic Type is none of DICOM's enumerated values for its value type has no FHIR region type
     * (D17, D18): listed with the reason, not mapped (issue 14: never a crash of the mapping).
     */
    private boolean unknownGraphicType(ContentItem item, String graphicType, Set<String> known) {
        if (graphicType != null && known.contains(graphicType.toUpperCase(Locale.ROOT))) {
            return false;
        }
        notMapped(item, (graphicType == null ? "no Graphic Type (0070,0023)" : "Graphic Type (0070,0023) '"
                + graphicType + "'") + ": a " + item.valueType() + " has one of " + String.join(", ", known.stream()
                .sorted().toList()) + "; no region type to map it to");
        return true;
    }

    /** A Finding Site row with its value becomes a site; one without (no Concept Code Sequence) is listed. */
    private void findingSite(ContentItem.Code item, List<FindingSite> sites) {
        if (item.value() == null) {
            notMapped(item, "Finding Site without its value (no Concept Code Sequence (0040,A168)): no site to map");
            return;
        }
        sites.add(FindingSite.of(item, this::notMapped));
    }

    /** Decision D28: a source image of a group, measurement or evaluation. */
    private boolean sourceImage(ContentItem.Image image, List<RegionReference> regions) {
        if (image.sop() == null || image.sop().sopInstanceUid() == null) {
            notMapped(image, "image reference without a Referenced SOP Instance UID");
            return true;
        }
        childrenNotMapped(image);
        regions.add(new RegionReference(RegionReference.Kind.SOURCE_IMAGE, image.path(), image.observationUid(),
                image.sop(), null, null, null, null));
        return true;
    }

    /** TID 300 / TID 1419 (decision D13 for the value); {@code derived}: a TID 1420 NUM, whose groups are read apart. */
    private Measurement measurement(ContentItem.Num num, String inheritedDateTime, boolean derived) {
        MemberRows rows = memberRows(num, true, derived);
        BigDecimal value = value(num);
        UnsentValue unsent = UnsentValue.of(num, value);
        if (unsent != null) {
            // decision D45: never sent; the Observation carries data-absent with this reason
            deviations.add(new Deviation(num.path(), unsent.reason() + ": not sent, the measurement is data-absent",
                    "D45"));
            value = null;
        }
        return new Measurement(num.path(), num.conceptName(), value, num.unit(), num.qualifier(), rows.method,
                rows.sites, rows.derivation, AlgorithmIdentification.of(num), num.observationUid(),
                dateTime(num, inheritedDateTime), rows.regions, unsent);
    }

    private QualitativeEvaluation evaluation(ContentItem item, String inheritedDateTime) {
        CodedConcept code = item instanceof ContentItem.Code c ? c.value() : null;
        String text = item instanceof ContentItem.Text t ? t.text() : null;
        MemberRows rows = memberRows(item, false, false);
        return new QualitativeEvaluation(item.path(), item.conceptName(), code, text,
                AlgorithmIdentification.of(item), item.observationUid(), dateTime(item, inheritedDateTime), rows.sites,
                rows.regions);
    }

    /** What a measurement or evaluation says about itself (TID 300 rows 4–8, 12; TID 320). */
    private static final class MemberRows {
        CodedConcept method;
        CodedConcept derivation;
        final List<FindingSite> sites = new ArrayList<>();
        final List<RegionReference> regions = new ArrayList<>();
    }

    /**
     * The children of a NUM or of a CODE/TEXT evaluation: INFERRED FROM SCOORD/SCOORD3D regions (TID 300 row 8,
     * TID 320; under an evaluation too, decision D25), INFERRED FROM IMAGE source images (TID 320 "Source of
     * Measurement", D28), Finding Sites (D24), TID 4019 rows, and for a NUM its Measurement Method and Derivation.
     */
    private MemberRows memberRows(ContentItem item, boolean isMeasurement, boolean derived) {
        MemberRows rows = new MemberRows();
        for (ContentItem raw : item.children()) {
            ContentItem child = resolve(raw);
            if (child == null) {
                notMapped(raw);
            } else if (raw.relationship() == RelationshipType.INFERRED_FROM
                    && (child instanceof ContentItem.Scoord || child instanceof ContentItem.Scoord3D)) {
                spatialRegion(child, rows.regions);
            } else if (raw.relationship() == RelationshipType.INFERRED_FROM && child instanceof ContentItem.Image image
                    && (child.conceptName() == null || child.is("DCM", "121112")
                    || RegionReference.Kind.SOURCE_IMAGE.isNamed(child.conceptName()))) {
                sourceImage(image, rows.regions);
            } else if (isMeasurement && rows.method == null && child instanceof ContentItem.Code code
                    && LegacyCodes.isSct(child.conceptName(), "370129005")) {
                rows.method = code.value();
                childrenNotMapped(child);
            } else if (isMeasurement && rows.derivation == null && child instanceof ContentItem.Code code
                    && child.is("DCM", "121401")) {
                rows.derivation = code.value();
                childrenNotMapped(child);
            } else if (FindingSite.is(child)) {
                findingSite((ContentItem.Code) child, rows.sites);
            } else if (derived && isGroup(child)) {
                continue; // TID 1420 row 2: read by derivedMeasurements
            } else if (!AlgorithmIdentification.isRow(child)) {
                notMapped(raw);
            }
        }
        return rows;
    }

    /** Floating Point Value when present, else the DS Numeric Value as written, else an exact rational (D13). */
    static BigDecimal value(ContentItem.Num num) {
        if (num.floatingPointValue() != null && Double.isFinite(num.floatingPointValue())) {
            return new BigDecimal(Double.toString(num.floatingPointValue()));
        }
        if (num.numericValue() != null) {
            return num.numericValue();
        }
        if (num.rationalNumerator() != null && num.rationalDenominator() != null && num.rationalDenominator() != 0) {
            return BigDecimal.valueOf(num.rationalNumerator())
                    .divide(BigDecimal.valueOf(num.rationalDenominator()), MathContext.DECIMAL64);
        }
        return null;
    }

    /** TID 1420: NUMs of the Derived Imaging Measurements container and the groups under them (D2). */
    private List<DerivedMeasurement> derivedMeasurements(ContentItem container, String dateTime) {
        AlgorithmIdentification algorithm = AlgorithmIdentification.of(container);
        List<MeasurementGroup> siblingGroups = new ArrayList<>();
        List<ContentItem.Num> nums = new ArrayList<>();
        for (ContentItem item : container.children()) {
            if (item instanceof ContentItem.Num && unnamed(item)) {
                notMapped(item, UNNAMED_NUM);
            } else if (item instanceof ContentItem.Num num) {
                nums.add(num);
            } else if (isGroup(item)) {
                siblingGroups.add(group((ContentItem.Container) item, algorithm, dateTime, groupCount++));
            } else if (!AlgorithmIdentification.isRow(item)) {
                notMapped(item);
            }
        }
        List<DerivedMeasurement> result = new ArrayList<>();
        for (ContentItem.Num num : nums) {
            String numDateTime = dateTime(num, dateTime);
            List<MeasurementGroup> sources = new ArrayList<>();
            for (ContentItem child : num.children()) {
                if (resolve(child) instanceof ContentItem.Container group && isGroup(group)) {
                    sources.add(group(group, algorithm, numDateTime, groupCount++));
                }
            }
            result.add(new DerivedMeasurement(measurement(num, dateTime, true),
                    sources.isEmpty() ? siblingGroups : sources, algorithm));
        }
        return result;
    }

    /** A TID 1502 row or an Activity Session as a component-to-be, with its CODE/TEXT/NUM children (D29, D30). */
    private void contextItems(ContentItem item, List<ContextItem> out) {
        if (unnamed(item)) {
            notMapped(item, "observation context item without a concept name (or its Code Value): an "
                    + "Observation.component needs a code (decision D46)");
            return;
        }
        if (item instanceof ContentItem.Text text) {
            out.add(new ContextItem(item.path(), item.conceptName(), text.text(), null, null, null));
        } else if (item instanceof ContentItem.Code code) {
            out.add(new ContextItem(item.path(), item.conceptName(), null, code.value(), null, null));
        } else if (item instanceof ContentItem.Num num && value(num) != null && UnsentValue.of(num, value(num)) != null) {
            notMapped(item, UnsentValue.of(num, value(num)).reason() + " (decision D45)");
            return;
        } else if (item instanceof ContentItem.Num num && value(num) != null) {
            out.add(new ContextItem(item.path(), item.conceptName(), null, null, value(num), num.unit()));
        } else {
            notMapped(item, "observation context item of value type " + item.valueType()
                    + ": an Observation.component holds TEXT, CODE or NUM values only");
            return;
        }
        for (ContentItem child : item.children()) {
            contextItems(child, out);
        }
    }

    /**
     * ImagingSelection's studyUid and seriesUid are FHIR ids (at most 64 characters, like a conformant UID): a longer
     * one (the IG's own example has a 66-character series UID) is left out there, which the report says.
     */
    private void uidsTooLongForFhirIds(List<MeasurementGroup> groups) {
        Set<String> seen = new java.util.LinkedHashSet<>();
        List<SrDocumentHeader.EvidenceStudy> evidence = new ArrayList<>(document.header().currentRequestedProcedureEvidence());
        evidence.addAll(document.header().pertinentOtherEvidence());
        for (SrDocumentHeader.EvidenceStudy study : evidence) {
            tooLong("Study Instance UID in the evidence sequences", study.studyInstanceUid(), null, seen);
            study.series().forEach(series -> tooLong("Series Instance UID in the evidence sequences",
                    series.seriesInstanceUid(), null, seen));
        }
        tooLong("Series Instance UID (0020,000E) of the SR", document.header().seriesInstanceUid(), null, seen);
        groups.forEach(g -> tooLong("Source series for segmentation", g.sourceSeriesForSegmentation(), g.path(), seen));
    }

    private void tooLong(String what, String uid, String path, Set<String> seen) {
        if (uid != null && uid.length() > 64 && seen.add(uid)) {
            deviations.add(new Deviation(path, what + " has " + uid.length() + " characters, more than the 64 of a "
                    + "FHIR id: ImagingSelection.studyUid/seriesUid leave it out", null));
        }
    }

    /** TID 1502 Time Point Context rows (PS3.16): Time Point, its type, order, identifiers and temporal offset. */
    private static boolean isTimePoint(ContentItem item) {
        return item.is("UMLS", "C2348792") || item.is("DCM", "126072") || item.is("DCM", "126073")
                || item.is("DCM", "126070") || item.is("DCM", "126071") || item.is("DCM", "128740");
    }

    /**
     * The root's observer context (TID 1002): Observer Type starts an observer; a Person Observer Name starts a person
     * (TID 1003) whose organization and role follow it; the TID 1004 rows describe the device. Only the first device
     * is used (D31: an Observation names one device). TID 1502 rows here are the document's time point (D29).
     */
    private final class ObserverContext {
        private final List<PersonObserver> persons = new ArrayList<>();
        private final List<ContextItem> timePoint = new ArrayList<>();
        private int person = -1;
        private String[] device;
        private boolean deviceDone;

        void read(ContentItem item) {
            if (item instanceof ContentItem.Code && item.is("DCM", "121005")) {
                person = -1;
                deviceDone |= device != null;
                childrenNotMapped(item);
            } else if (item.is("DCM", "121008") && (item instanceof ContentItem.PName || item instanceof ContentItem.Text)) {
                persons.add(new PersonObserver(item instanceof ContentItem.PName pname ? pname.name()
                        : PersonName.parse(((ContentItem.Text) item).text()), null, null));
                person = persons.size() - 1;
                childrenNotMapped(item);
            } else if (item instanceof ContentItem.Text text && item.is("DCM", "121009") && person >= 0
                    && persons.get(person).organization() == null) {
                PersonObserver p = persons.get(person);
                persons.set(person, new PersonObserver(p.name(), text.text(), p.roleInOrganization()));
                childrenNotMapped(item);
            } else if (item instanceof ContentItem.Code code && item.is("DCM", "121010") && person >= 0
                    && persons.get(person).roleInOrganization() == null) {
                PersonObserver p = persons.get(person);
                persons.set(person, new PersonObserver(p.name(), p.organization(), code.value()));
                childrenNotMapped(item);
            } else if (deviceRow(item) >= 0 && !deviceDone) {
                if (device == null) {
                    device = new String[5];
                }
                int row = deviceRow(item);
                if (device[row] != null) {
                    notMapped(item, "a second value of the same device observer row");
                    return;
                }
                device[row] = item instanceof ContentItem.UidRef uid ? uid.uid() : ((ContentItem.Text) item).text();
                childrenNotMapped(item);
            } else if (isTimePoint(item)) {
                contextItems(item, timePoint);
            } else if (deviceRow(item) >= 0) {
                notMapped(item, "a second device observer: an Observation names one device (D31)");
            } else {
                notMapped(item);
            }
        }

        /** TID 1004 rows 1–5: Device Observer UID, Name, Manufacturer, Model Name, Serial Number (-1 for others). */
        private static int deviceRow(ContentItem item) {
            if (item instanceof ContentItem.UidRef && item.is("DCM", "121012")) {
                return 0;
            }
            if (!(item instanceof ContentItem.Text)) {
                return -1;
            }
            return item.is("DCM", "121013") ? 1 : item.is("DCM", "121014") ? 2 : item.is("DCM", "121015") ? 3
                    : item.is("DCM", "121016") ? 4 : -1;
        }

        List<PersonObserver> persons() {
            return persons;
        }

        DeviceObserver device() {
            return device == null ? null : new DeviceObserver(device[0], device[1], device[2], device[3], device[4]);
        }
    }

    /**
     * Decision D11: CONTAINS CODE/TEXT children, minus the IG's exclusion list, TID 4019 rows, Language and
     * observer / time point context.
     */
    static boolean isQualitativeEvaluation(ContentItem item) {
        if (item.relationship() != RelationshipType.CONTAINS
                || (item.valueType() != ValueType.CODE && item.valueType() != ValueType.TEXT)
                || item.conceptName() == null) {
            return false;
        }
        CodedConcept c = item.conceptName();
        return !(c.is("DCM", "112039") || c.is("DCM", "121071") || c.is("DCM", "130400")
                || c.is("NCIt", "C67447") || LegacyCodes.isSct(c, "276214006") || LegacyCodes.isSct(c, "363698007")
                || LegacyCodes.isSct(c, "370129005") || AlgorithmIdentification.isRow(item)
                || c.is("DCM", "121049") || c.is("DCM", "121005") || c.is("DCM", "121008")
                || c.is("DCM", "112040"));
    }

    private static boolean isQualitativeEvaluationsContainer(ContentItem item) {
        return item instanceof ContentItem.Container && item.is("UMLS", "C0034375");
    }

    /** Decision D8: an item's own Observation DateTime, else the nearest one up the tree. */
    private static String dateTime(ContentItem item, String inherited) {
        return item.observationDateTime() != null ? item.observationDateTime() : inherited;
    }

    /** A by-reference item stands for its target (PS3.3 C.17.3.2.5); null when unresolved. */
    private static ContentItem resolve(ContentItem item) {
        return item instanceof ContentItem.ByReference reference ? reference.target() : item;
    }

    /** Decision D46: a NUM names what it measures; without a concept name it has no Observation.code. */
    private static final String UNNAMED_NUM = "NUM without a concept name (or without its Code Value): the "
            + "measurement names nothing, so it has no Observation.code (decision D46)";

    /** True when the item has no concept name, or one without a code (the reader warned about it already). */
    private static boolean unnamed(ContentItem item) {
        return item.conceptName() == null || item.conceptName().code() == null || item.conceptName().code().isBlank();
    }

    private void childrenNotMapped(ContentItem item) {
        item.children().forEach(this::notMapped);
    }

    private void notMapped(ContentItem item) {
        notMapped(item, reason(item));
    }

    private void notMapped(ContentItem item, String reason) {
        notMapped.add(new NotMappedItem(item.path(), item.conceptName(), item.valueType(), descendants(item), reason));
    }

    private static int descendants(ContentItem item) {
        int count = 0;
        for (ContentItem child : item.children()) {
            count += 1 + descendants(child);
        }
        return count;
    }

    /** Why an item has no place in FHIR: the known cases by concept, else the general rule. */
    private String reason(ContentItem item) {
        if (item instanceof ContentItem.ByReference reference) {
            return reference.target() == null ? "by-reference relationship to an item that is not in the document"
                    : "by-reference relationship to item " + reference.target().path() + ", which has no place here";
        }
        CodedConcept c = item.conceptName();
        if (c == null) {
            return "unnamed " + item.valueType() + " item in a place where TID 1500 names its items; " + NO_RULE;
        }
        if (c.is("DCM", "121049")) {
            return "Language of Content Item and Descendants: FHIR resources carry no language per item (the IG maps "
                    + "none)";
        }
        if (c.is("DCM", "121058")) {
            return "Procedure reported: the IG maps it nowhere; the ImagingStudy and ServiceRequest stand for the "
                    + "procedure";
        }
        if (c.is("DCM", "111028")) {
            return "Image Library: descriptions of the images the report uses, which the IG does not map (the images "
                    + "reach FHIR through the regions and source images that name them)";
        }
        if (c.is("DCM", "130400")) {
            return "Geometric purpose of region: the IG maps it nowhere (ig-digest §3.8)";
        }
        if (c.is("DCM", "125309") || LegacyCodes.isSct(c, "718499004")) {
            return "a viewer's display attribute (label or colour of the annotation), not clinical content";
        }
        if (c.is("DCM", "112039") || c.is("DCM", "112040")) {
            return "a Tracking Identifier or Tracking Unique Identifier other than its measurement group's first: FHIR "
                    + "carries one of each per group (D10)";
        }
        if (c.is("DCM", "121402") || c.is("DCM", "121403") || c.is("DCM", "121404")) {
            return "Measurement Properties (TID 310): the IG maps none of them";
        }
        if (isGroup(item)) {
            return "Measurement Group outside an Imaging Measurements container in a document whose title and "
                    + "template do not say TID 1500: its meaning is not certain (D23)";
        }
        if (item.relationship() == RelationshipType.HAS_OBS_CONTEXT && item.path().split("\\.").length == 2) {
            return "observation context item with no FHIR place: only observer names, organizations and roles, the "
                    + "device observer's identity and the time point are carried (D29, D31, D32)";
        }
        if (item.relationship() == RelationshipType.HAS_OBS_CONTEXT) {
            return "observation context of a single item: FHIR carries the context of the document and of the "
                    + "measurement groups only (D10, D29, D30)";
        }
        return NO_RULE;
    }
}
