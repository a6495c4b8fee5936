package org.sr2fhir.tid1500;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.dicom.PersonName;
import org.sr2fhir.sr.CodedConcept;
import org.sr2fhir.sr.ContentItem;
import org.sr2fhir.sr.RelationshipType;
import org.sr2fhir.sr.ReferencedSop;
import org.sr2fhir.sr.SrDocument;
import org.sr2fhir.sr.ValueType;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the TID 1500 model out of one SR content tree. One instance per document; collects every content item
 * it does not map and logs them once per report (no patient data, decision D21).
 */
final class ReportParser {
    private static final Logger LOG = LoggerFactory.getLogger(ReportParser.class);

    /** CID 7021 Measurement Report Document Titles. */
    private static final Set<String> CID_7021 = Set.of("126000", "126001", "126002", "126003", "126004",
            "126005", "126006", "126007");

    private final SrDocument document;
    private final Map<String, Integer> unmapped = new TreeMap<>();
    private int groupCount;

    ReportParser(SrDocument document) {
        this.document = document;
    }

    MeasurementReport parse() throws InputRejectedException {
        ContentItem.Container root = document.root();
        recognise(root);
        String rootDateTime = root.observationDateTime();
        List<PersonName> persons = new ArrayList<>();
        AlgorithmIdentification measurementsAlgorithm = null;
        List<MeasurementGroup> groups = new ArrayList<>();
        List<DerivedMeasurement> derived = new ArrayList<>();
        List<QualitativeEvaluation> evaluations = new ArrayList<>();
        AlgorithmIdentification evaluationsAlgorithm = null;
        List<ContentItem> derivedContainers = new ArrayList<>();
        List<ContentItem> evaluationContainers = new ArrayList<>();
        for (ContentItem child : root.children()) {
            if (child.is("DCM", "126010") && child instanceof ContentItem.Container measurements) {
                measurementsAlgorithm = AlgorithmIdentification.of(measurements);
                String dateTime = dateTime(measurements, rootDateTime);
                for (ContentItem item : measurements.children()) {
                    if (item.is("DCM", "125007") && item instanceof ContentItem.Container group) {
                        groups.add(group(group, measurementsAlgorithm, dateTime, groupCount++));
                    } else if (item.is("DCM", "126011") && item instanceof ContentItem.Container) {
                        derivedContainers.add(item); // decision D2: also accepted inside 126010
                    } else if (isQualitativeEvaluationsContainer(item)) {
                        evaluationContainers.add(item);
                    } else if (!AlgorithmIdentification.isRow(item)) {
                        notMapped(item);
                    }
                }
            } else if (child.is("DCM", "126011") && child instanceof ContentItem.Container) {
                derivedContainers.add(child);
            } else if (isQualitativeEvaluationsContainer(child)) {
                evaluationContainers.add(child);
            } else if (isPersonObserverName(child)) {
                persons.add(personName(child));
            } else if (!child.is("DCM", "121005")) {
                notMapped(child);
            }
        }
        for (ContentItem container : derivedContainers) {
            derived.addAll(derivedMeasurements(container, dateTime(container, rootDateTime)));
        }
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
        if (!unmapped.isEmpty()) {
            LOG.info("{} (SOP Instance UID {}): content items not mapped to FHIR (no IG rule): {}",
                    document.source(), document.header().sopInstanceUid(), unmapped);
        }
        return new MeasurementReport(document, root.conceptName(), persons, measurementsAlgorithm, groups, derived,
                evaluations, evaluationsAlgorithm);
    }

    /** Decision D1: SR class, then template 1500, else the TID 1500 shape. */
    private void recognise(ContentItem.Container root) throws InputRejectedException {
        String sopClass = document.header().sopClassUid();
        String what = documentKind(sopClass);
        if (!SopClass.isMeasurementReportClass(sopClass)) {
            throw reject(what + ", not a TID 1500 measurement report");
        }
        CodedConcept title = root.conceptName();
        String titled = title == null ? "with no document title" : "titled " + title;
        if (root.templateId() != null && !root.templateId().isBlank()) {
            if (!"1500".equals(root.templateId().trim())) {
                throw reject(what + " " + titled + " written with template TID " + root.templateId().trim()
                        + ", not a TID 1500 measurement report");
            }
            if (title == null || !title.designator().equals("DCM") || !CID_7021.contains(title.code())) {
                LOG.info("{}: TID 1500 document with a title outside CID 7021: {}", document.source(), title);
            }
            return;
        }
        boolean shape = root.children().stream().anyMatch(c -> c instanceof ContentItem.Container
                && (c.is("DCM", "126010") || c.is("DCM", "126011") || isQualitativeEvaluationsContainer(c)));
        if (!shape) {
            throw reject(what + " " + titled + " without TID 1500 content (no Imaging Measurements, Derived Imaging "
                    + "Measurements or Qualitative Evaluations container), not a TID 1500 measurement report");
        }
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
        List<ReferencedSop> sourceImages = new ArrayList<>();
        List<RegionReference> regions = new ArrayList<>();
        List<Measurement> measurements = new ArrayList<>();
        List<QualitativeEvaluation> evaluations = new ArrayList<>();
        for (ContentItem raw : group.children()) {
            ContentItem child = resolve(raw);
            if (child == null) {
                notMapped(raw);
            } else if (child instanceof ContentItem.Text text && child.is("DCM", "112039")) {
                trackingIdentifier = text.text();
            } else if (child instanceof ContentItem.UidRef uid && child.is("DCM", "112040")) {
                trackingUid = uid.uid();
            } else if (child instanceof ContentItem.Code code && LegacyCodes.isSct(child.conceptName(), "276214006")) {
                findingCategory = code.value();
            } else if (child instanceof ContentItem.Code code && child.is("DCM", "121071")) {
                finding = code.value();
            } else if (child instanceof ContentItem.Code code && LegacyCodes.isSct(child.conceptName(), "370129005")) {
                method = code.value();
            } else if (LegacyCodes.isSct(child.conceptName(), "363698007") || AlgorithmIdentification.isRow(child)) {
                // read below by FindingSite.of / AlgorithmIdentification.of
                continue;
            } else if (child instanceof ContentItem.UidRef uid && child.is("DCM", "121232")) {
                sourceSeries = uid.uid();
            } else if (child instanceof ContentItem.Image image && child.is("DCM", "121233")) {
                sourceImages.add(image.sop());
            } else if (child instanceof ContentItem.Num num && child.relationship() == RelationshipType.CONTAINS) {
                measurements.add(measurement(num, dateTime));
            } else if (isQualitativeEvaluation(child)) {
                evaluations.add(evaluation(child, dateTime));
            } else {
                RegionReference region = region(child);
                if (region != null) {
                    regions.add(region);
                } else {
                    notMapped(child);
                }
            }
        }
        return new MeasurementGroup(position, group.path(), group.templateId(), group.observationUid(), dateTime,
                trackingIdentifier, trackingUid, findingCategory, finding, FindingSite.of(group), method,
                AlgorithmIdentification.of(group), containerAlgorithm, regions, sourceSeries, sourceImages,
                measurements, evaluations);
    }

    /** The ROI and reference rows of TID 1410 (rows 6–11) and TID 1411 (rows 6–12), by concept and value type. */
    private RegionReference region(ContentItem item) {
        String path = item.path();
        String uid = item.observationUid();
        if (item instanceof ContentItem.Scoord scoord && item.is("DCM", "111030")) {
            ReferencedSop image = item.children().stream().map(ReportParser::resolve)
                    .filter(c -> c instanceof ContentItem.Image).map(c -> ((ContentItem.Image) c).sop())
                    .findFirst().orElse(null);
            return new RegionReference(RegionReference.Kind.IMAGE_REGION_2D, path, uid, image, scoord.graphicType(),
                    scoord.graphicData(), null, null);
        }
        if (item instanceof ContentItem.Scoord3D scoord && item.is("DCM", "111030")) {
            return new RegionReference(RegionReference.Kind.IMAGE_REGION_3D, path, uid, null, scoord.graphicType(),
                    scoord.graphicData(), scoord.frameOfReferenceUid(), null);
        }
        if (item instanceof ContentItem.Scoord3D scoord && item.is("DCM", "121231")) {
            return new RegionReference(RegionReference.Kind.VOLUME_SURFACE, path, uid, null, scoord.graphicType(),
                    scoord.graphicData(), scoord.frameOfReferenceUid(), null);
        }
        ReferencedSop sop = item instanceof ContentItem.Image image ? image.sop()
                : item instanceof ContentItem.Composite composite ? composite.sop() : null;
        if (sop == null) {
            return null;
        }
        for (RegionReference.Kind kind : List.of(RegionReference.Kind.REFERENCED_SEGMENT,
                RegionReference.Kind.REFERENCED_SEGMENTATION_FRAME, RegionReference.Kind.REGION_IN_SPACE,
                RegionReference.Kind.REAL_WORLD_VALUE_MAP, RegionReference.Kind.ILLUSTRATION_OF_ROI,
                RegionReference.Kind.VISUAL_EXPLANATION)) {
            if (item.is("DCM", kind.dcmCode())) {
                String roi = kind == RegionReference.Kind.REGION_IN_SPACE ? item.children().stream()
                        .filter(c -> c instanceof ContentItem.Text && c.is("DCM", "130489"))
                        .map(c -> ((ContentItem.Text) c).text()).findFirst().orElse(null) : null;
                return new RegionReference(kind, path, uid, sop, null, null, null, roi);
            }
        }
        return null;
    }

    /** TID 300 / TID 1419 (decision D13 for the value). */
    private Measurement measurement(ContentItem.Num num, String inheritedDateTime) {
        CodedConcept method = null;
        CodedConcept derivation = null;
        List<RegionReference> regions = new ArrayList<>();
        for (ContentItem raw : num.children()) {
            ContentItem child = resolve(raw);
            if (child != null && raw.relationship() == RelationshipType.INFERRED_FROM
                    && (child instanceof ContentItem.Scoord || child instanceof ContentItem.Scoord3D)) {
                regions.add(inferredRegion(child));
            } else if (child == null) {
                notMapped(raw);
            } else if (child instanceof ContentItem.Code code && LegacyCodes.isSct(child.conceptName(), "370129005")) {
                method = code.value();
            } else if (child instanceof ContentItem.Code code && child.is("DCM", "121401")) {
                derivation = code.value();
            } else if (!LegacyCodes.isSct(child.conceptName(), "363698007") && !AlgorithmIdentification.isRow(child)) {
                notMapped(child);
            }
        }
        return new Measurement(num.path(), num.conceptName(), value(num), num.unit(), num.qualifier(), method,
                FindingSite.of(num), derivation, AlgorithmIdentification.of(num), num.observationUid(),
                dateTime(num, inheritedDateTime), regions);
    }

    /** TID 300 row 8 / TID 320: a SCOORD(3D) the NUM is INFERRED FROM is an image region of that measurement. */
    private static RegionReference inferredRegion(ContentItem item) {
        if (item instanceof ContentItem.Scoord scoord) {
            ReferencedSop image = item.children().stream().map(ReportParser::resolve)
                    .filter(c -> c instanceof ContentItem.Image).map(c -> ((ContentItem.Image) c).sop())
                    .findFirst().orElse(null);
            return new RegionReference(RegionReference.Kind.IMAGE_REGION_2D, item.path(), item.observationUid(), image,
                    scoord.graphicType(), scoord.graphicData(), null, null);
        }
        ContentItem.Scoord3D scoord = (ContentItem.Scoord3D) item;
        return new RegionReference(RegionReference.Kind.IMAGE_REGION_3D, item.path(), item.observationUid(), null,
                scoord.graphicType(), scoord.graphicData(), scoord.frameOfReferenceUid(), null);
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
            if (item instanceof ContentItem.Num num) {
                nums.add(num);
            } else if (item.is("DCM", "125007") && item instanceof ContentItem.Container group) {
                siblingGroups.add(group(group, algorithm, dateTime, groupCount++));
            } else if (!AlgorithmIdentification.isRow(item)) {
                notMapped(item);
            }
        }
        List<DerivedMeasurement> result = new ArrayList<>();
        for (ContentItem.Num num : nums) {
            String numDateTime = dateTime(num, dateTime);
            List<MeasurementGroup> sources = new ArrayList<>();
            for (ContentItem child : num.children()) {
                if (resolve(child) instanceof ContentItem.Container group && group.is("DCM", "125007")) {
                    sources.add(group(group, algorithm, numDateTime, groupCount++));
                }
            }
            result.add(new DerivedMeasurement(measurement(num, dateTime), sources.isEmpty() ? siblingGroups : sources,
                    algorithm));
        }
        return result;
    }

    private QualitativeEvaluation evaluation(ContentItem item, String inheritedDateTime) {
        CodedConcept code = item instanceof ContentItem.Code c ? c.value() : null;
        String text = item instanceof ContentItem.Text t ? t.text() : null;
        return new QualitativeEvaluation(item.path(), item.conceptName(), code, text,
                AlgorithmIdentification.of(item), item.observationUid(), dateTime(item, inheritedDateTime));
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

    private static boolean isPersonObserverName(ContentItem item) {
        return item.relationship() == RelationshipType.HAS_OBS_CONTEXT && item.is("DCM", "121008")
                && (item instanceof ContentItem.PName || item instanceof ContentItem.Text);
    }

    private static PersonName personName(ContentItem item) {
        return item instanceof ContentItem.PName pname ? pname.name() : PersonName.parse(((ContentItem.Text) item).text());
    }

    /** Decision D8: an item's own Observation DateTime, else the nearest one up the tree. */
    private static String dateTime(ContentItem item, String inherited) {
        return item.observationDateTime() != null ? item.observationDateTime() : inherited;
    }

    /** A by-reference item stands for its target (PS3.3 C.17.3.2.5); null when unresolved. */
    private static ContentItem resolve(ContentItem item) {
        return item instanceof ContentItem.ByReference reference ? reference.target() : item;
    }

    private void notMapped(ContentItem item) {
        String key = (item.conceptName() == null ? "(by reference)" : item.conceptName().toString())
                + " " + item.valueType();
        unmapped.merge(key, 1, Integer::sum);
    }
}
