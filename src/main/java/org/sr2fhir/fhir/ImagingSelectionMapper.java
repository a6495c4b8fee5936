package org.sr2fhir.fhir;

import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.CodeableReference;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.DecimalType;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.ImagingSelection;
import org.hl7.fhir.r5.model.Reference;
import org.sr2fhir.sr.ReferencedSop;
import org.sr2fhir.tid1500.MeasurementGroup;
import org.sr2fhir.tid1500.RegionReference;
import org.sr2fhir.tid1500.RegionReference.Kind;
import org.sr2fhir.tid1500.SopClass;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ImagingSelection profiles (ig-digest §3.8): one selection per region/reference kind of a group — all 2D
 * image regions of a group in one image-region-2d (one instance each; the Observations' derivedFrom slices allow
 * one selection per kind), 3D regions and volume surfaces per Frame of Reference, one referenced-segment /
 * referenced-segmentation-frame per reference, one instance per segment number (D19) — plus source-image-for-segmentation
 * (their focus), source-sr-content-item (#17) for content items that carry an Observation UID, and the unprofiled
 * "Source" selection of the images a group, measurement or evaluation was made on (D28).
 */
final class ImagingSelectionMapper {
    static final String ROLE = "selection";
    static final String SOURCE_IMAGE_ROLE = "source-image";
    static final String SOURCE_ITEM_ROLE = "source-item";
    /**
     * Decision D18: R5 has no top-level 3D region. The cross-version URL for the R6 element
     * (http://hl7.org/fhir/6.0/...) is refused by the R5 validator ("invalid Version '6.0'"), so the same shape
     * (regionType, coordinate*) travels in an extension of ours (see {@link Extensions}).
     */
    static final String IMAGE_REGION_3D_EXTENSION = Extensions.BASE + "imaging-selection-image-region-3d";

    /** A mapped selection and the profile family it belongs to (one derivedFrom slice per family). */
    record Selection(Kind kind, MappedEntry entry) {
    }

    /** The selections of a group's region and reference rows, with their source-image-for-segmentation. */
    List<Selection> selections(ReportContext context, MeasurementGroup group, CodeableReference bodySite,
                               List<MappedEntry> out) {
        MappedEntry sourceImage = sourceImageForSegmentation(context, group, bodySite);
        if (sourceImage != null) {
            out.add(sourceImage);
        }
        return selections(context, group.sourceSeriesForSegmentation(), group.regions(), sourceImage, bodySite, out);
    }

    /**
     * The selections of the regions a measurement or evaluation was INFERRED FROM; {@code sourceSeries} is its
     * group's Source series for segmentation (null for a root-level evaluation).
     */
    List<Selection> selections(ReportContext context, String sourceSeries, List<RegionReference> regions,
                               CodeableReference bodySite, List<MappedEntry> out) {
        return selections(context, sourceSeries, regions, null, bodySite, out);
    }

    private List<Selection> selections(ReportContext context, String sourceSeries, List<RegionReference> regions,
                                       MappedEntry sourceImage, CodeableReference bodySite, List<MappedEntry> out) {
        Map<String, List<RegionReference>> batches = new LinkedHashMap<>();
        for (RegionReference region : regions) {
            // the model holds only regions that can be mapped: a 2D region names its image, a 3D one its Frame of
            // Reference (the others are in the report's not-mapped list, decision D34)
            switch (region.kind()) {
                case IMAGE_REGION_2D, SOURCE_IMAGE ->
                        batches.computeIfAbsent(region.kind().name(), k -> new ArrayList<>()).add(region);
                case IMAGE_REGION_3D, VOLUME_SURFACE -> batches.computeIfAbsent(
                        region.kind().name() + "|" + region.frameOfReferenceUid(), k -> new ArrayList<>()).add(region);
                default -> batches.computeIfAbsent(region.kind().name() + "|" + region.path(),
                        k -> new ArrayList<>()).add(region);
            }
        }
        List<Selection> selections = new ArrayList<>();
        for (List<RegionReference> batch : batches.values()) {
            RegionReference first = batch.get(0);
            ImagingSelection selection = base(context, first.kind(), bodySite);
            fill(context, sourceSeries, selection, batch);
            if (sourceImage != null && (first.kind() == Kind.REFERENCED_SEGMENT
                    || first.kind() == Kind.REFERENCED_SEGMENTATION_FRAME || first.kind() == Kind.VOLUME_SURFACE)) {
                selection.addFocus(new Reference(sourceImage.fullUrl()));
            }
            if (batch.size() == 1 && first.observationUid() != null) {
                MappedEntry item = sourceItem(context, first.observationUid(), first.path());
                out.add(item);
                selection.addFocus(new Reference(item.fullUrl()));
            }
            MappedEntry entry = context.entries().entry(selection, ROLE, first.kind() + "|" + first.path());
            out.add(entry);
            selections.add(new Selection(first.kind(), entry));
        }
        return selections;
    }

    /**
     * D19 (amended): several segment (or frame) numbers on one reference give one instance per number in ONE
     * selection. The profiles allow one {@code subset} per instance, and the Observations' derivedFrom slices allow
     * one selection per kind (one selection per number failed with "derivedFrom:referencedSegment: max allowed = 1").
     */
    private static List<String> subsets(RegionReference region) {
        if (region.kind() != Kind.REFERENCED_SEGMENT && region.kind() != Kind.REFERENCED_SEGMENTATION_FRAME) {
            return List.of();
        }
        List<Integer> numbers = !region.sop().segmentNumbers().isEmpty() ? region.sop().segmentNumbers()
                : region.kind() == Kind.REFERENCED_SEGMENTATION_FRAME ? region.sop().frameNumbers() : List.of();
        return numbers.stream().map(String::valueOf).toList();
    }

    private void fill(ReportContext context, String sourceSeries, ImagingSelection selection,
                      List<RegionReference> batch) {
        RegionReference first = batch.get(0);
        switch (first.kind()) {
            case IMAGE_REGION_2D -> {
                for (RegionReference region : batch) {
                    imageRegion2d(selection, region);
                }
                seriesFromEvidence(context, selection);
            }
            case SOURCE_IMAGE -> {
                // D28: one instance per image, its frames as subsets (as for 2D regions, D17)
                for (RegionReference region : batch) {
                    ImagingSelection.ImagingSelectionInstanceComponent instance =
                            instance(selection, region.sop().sopInstanceUid(), region.sop().sopClassUid());
                    region.sop().frameNumbers().forEach(f -> instance.addSubset(String.valueOf(f)));
                }
                seriesFromEvidence(context, selection);
            }
            case IMAGE_REGION_3D, VOLUME_SURFACE -> {
                selection.setFrameOfReferenceUid(first.frameOfReferenceUid());
                for (RegionReference region : batch) {
                    Extension region3d = selection.addExtension().setUrl(IMAGE_REGION_3D_EXTENSION);
                    region3d.addExtension("regionType", new org.hl7.fhir.r5.model.CodeType(
                            region.graphicType() == null ? null : region.graphicType().toLowerCase(Locale.ROOT)));
                    for (BigDecimal c : region.coordinates()) {
                        region3d.addExtension("coordinate", new DecimalType(c));
                    }
                }
                if (first.kind() == Kind.VOLUME_SURFACE) {
                    setSeriesUid(selection, sourceSeries);
                }
            }
            case REGION_IN_SPACE -> {
                // decision D15: the correct RT Structure Set Storage UID, not the profile's typo
                ImagingSelection.ImagingSelectionInstanceComponent instance =
                        instance(selection, first.sop().sopInstanceUid(), SopClass.RT_STRUCTURE_SET);
                if (first.roiIdentifier() != null) {
                    instance.addSubset(first.roiIdentifier());
                }
                seriesFromEvidence(context, selection);
            }
            case REFERENCED_SEGMENT, REFERENCED_SEGMENTATION_FRAME -> {
                List<String> numbers = subsets(first);
                if (numbers.isEmpty()) {
                    instance(selection, first.sop().sopInstanceUid(), SopClass.SEGMENTATION);
                }
                for (String number : numbers) {
                    instance(selection, first.sop().sopInstanceUid(), SopClass.SEGMENTATION).addSubset(number);
                }
                // ig-digest §3.8: seriesUid ← Source series for segmentation (121232)
                setSeriesUid(selection, sourceSeries);
                studyFromEvidence(context, selection);
            }
            default -> {
                instance(selection, first.sop().sopInstanceUid(), first.sop().sopClassUid());
                seriesFromEvidence(context, selection);
            }
        }
    }

    /** D17: graphic type lower-cased, coordinates in order; MULTIPOINT → one point region per point. */
    private static void imageRegion2d(ImagingSelection selection, RegionReference region) {
        ReferencedSop sop = region.sop();
        String type = region.graphicType() == null ? "" : region.graphicType().toUpperCase(Locale.ROOT);
        List<List<BigDecimal>> shapes = new ArrayList<>();
        if ("MULTIPOINT".equals(type)) {
            for (int i = 0; i + 1 < region.coordinates().size(); i += 2) {
                shapes.add(region.coordinates().subList(i, i + 2));
            }
            type = "POINT";
        } else {
            shapes.add(region.coordinates());
        }
        for (List<BigDecimal> shape : shapes) {
            ImagingSelection.ImagingSelectionInstanceComponent instance =
                    instance(selection, sop.sopInstanceUid(), sop.sopClassUid());
            for (Integer frame : sop.frameNumbers()) {
                instance.addSubset(String.valueOf(frame));
            }
            ImagingSelection.ImageRegion2DComponent region2d = instance.addImageRegion2D();
            region2d.setRegionType(ImagingSelection.ImagingSelection2DGraphicType.fromCode(type.toLowerCase(Locale.ROOT)));
            shape.forEach(region2d::addCoordinate);
        }
    }

    private static ImagingSelection.ImagingSelectionInstanceComponent instance(ImagingSelection selection,
                                                                               String uid, String sopClass) {
        ImagingSelection.ImagingSelectionInstanceComponent instance = selection.addInstance();
        instance.setUid(uid);
        if (sopClass != null) {
            instance.setSopClass(sopClass(sopClass));
        }
        return instance;
    }

    /** Decision D14: the profiles' SOP class system, the bare UID, the SOP class name. */
    static Coding sopClass(String uid) {
        return new Coding(Profiles.SOP_CLASS_SYSTEM, uid, SopClass.name(uid));
    }

    private static void seriesFromEvidence(ReportContext context, ImagingSelection selection) {
        String series = null;
        for (ImagingSelection.ImagingSelectionInstanceComponent instance : selection.getInstance()) {
            String[] evidence = context.evidenceOf(instance.getUid());
            String s = evidence == null ? null : evidence[1];
            if (s == null || (series != null && !series.equals(s))) {
                series = null;
                break;
            }
            series = s;
        }
        setSeriesUid(selection, series);
        studyFromEvidence(context, selection);
    }

    /** studyUid (MS) from the SR's evidence sequences, when every instance is in one known study. */
    private static void studyFromEvidence(ReportContext context, ImagingSelection selection) {
        String study = null;
        for (ImagingSelection.ImagingSelectionInstanceComponent instance : selection.getInstance()) {
            String[] evidence = context.evidenceOf(instance.getUid());
            String s = evidence == null ? null : evidence[0];
            if (s == null || (study != null && !study.equals(s))) {
                return;
            }
            study = s;
        }
        if (study != null && fitsId(study)) {
            selection.setStudyUid(study);
        }
    }

    /**
     * seriesUid is a FHIR id (at most 64 characters, like a conformant UID); a longer, non-conformant UID (the IG's
     * own example has a 66-character one) cannot be written there and is left out (a deviation of the report, D34).
     */
    private static void setSeriesUid(ImagingSelection selection, String uid) {
        if (uid != null && fitsId(uid)) {
            selection.setSeriesUid(uid);
        }
    }

    static boolean fitsId(String uid) {
        return uid.length() <= 64;
    }

    /** source-image-for-segmentation (TID 1411 rows 9–10); only when images are named (instance is 1..*). */
    private MappedEntry sourceImageForSegmentation(ReportContext context, MeasurementGroup group,
                                                   CodeableReference bodySite) {
        if (group.sourceImagesForSegmentation().isEmpty()) {
            return null;
        }
        ImagingSelection selection = new ImagingSelection();
        common(context, selection, Profiles.SOURCE_IMAGE_FOR_SEGMENTATION, "121233", "Source image for segmentation",
                bodySite);
        for (ReferencedSop sop : group.sourceImagesForSegmentation()) {
            ImagingSelection.ImagingSelectionInstanceComponent instance =
                    instance(selection, sop.sopInstanceUid(), sop.sopClassUid());
            sop.frameNumbers().forEach(f -> instance.addSubset(String.valueOf(f)));
        }
        if (group.sourceSeriesForSegmentation() != null) {
            setSeriesUid(selection, group.sourceSeriesForSegmentation());
            studyFromEvidence(context, selection);
        } else {
            seriesFromEvidence(context, selection);
        }
        return context.entries().entry(selection, SOURCE_IMAGE_ROLE, group.path());
    }

    /** source-sr-content-item (#17): the SR instance and the content item's Observation UID (ig-digest §2.8). */
    MappedEntry sourceItem(ReportContext context, String observationUid, String path) {
        ImagingSelection selection = new ImagingSelection();
        selection.getMeta().addProfile(Profiles.SOURCE_SR_CONTENT_ITEM);
        selection.setStatus(ImagingSelection.ImagingSelectionStatus.AVAILABLE);
        selection.setSubject(context.subject());
        if (context.serviceRequest() != null) {
            selection.addBasedOn(context.serviceRequest());
        }
        selection.addDerivedFrom(context.study());
        selection.setCode(Profiles.dcmConcept("111040", "Original Source"));
        selection.setStudyUid(context.header().studyInstanceUid());
        if (context.header().seriesInstanceUid() != null) {
            setSeriesUid(selection, context.header().seriesInstanceUid());
        }
        instance(selection, context.sopInstanceUid(), context.header().sopClassUid()).addSubset(observationUid);
        return context.entries().entry(selection, SOURCE_ITEM_ROLE, path);
    }

    private ImagingSelection base(ReportContext context, Kind kind, CodeableReference bodySite) {
        ImagingSelection selection = new ImagingSelection();
        switch (kind) {
            case IMAGE_REGION_2D -> common(context, selection, Profiles.IMAGE_REGION_2D, "111030", "Image Region", bodySite);
            case IMAGE_REGION_3D -> common(context, selection, Profiles.IMAGE_REGION_3D, "111030", "Image Region", bodySite);
            case REFERENCED_SEGMENT -> common(context, selection, Profiles.REFERENCED_SEGMENT, "121191",
                    "Referenced Segment", bodySite);
            case REFERENCED_SEGMENTATION_FRAME -> common(context, selection, Profiles.REFERENCED_SEGMENTATION_FRAME,
                    "121214", "Referenced Segmentation Frame", bodySite);
            case REGION_IN_SPACE -> common(context, selection, Profiles.REGION_IN_SPACE, "130488", "Region In Space",
                    bodySite);
            case VOLUME_SURFACE -> common(context, selection, Profiles.VOLUME_SURFACE, "121231", "Volume Surface",
                    bodySite);
            case REAL_WORLD_VALUE_MAP -> common(context, selection, Profiles.REAL_WORLD_VALUE_MAP, "126100",
                    "Real World Value Map used for measurement", bodySite);
            case ILLUSTRATION_OF_ROI -> common(context, selection, Profiles.ILLUSTRATION_OF_ROI, "121200",
                    "Illustration of ROI", bodySite);
            case VISUAL_EXPLANATION -> common(context, selection, Profiles.VISUAL_EXPLANATION, "130401",
                    "Visual Explanation", bodySite);
            // D28: no IG profile has a place for the images a group or measurement was made on; the selection claims
            // none and sits in derivedFrom's open slicing
            case SOURCE_IMAGE -> common(context, selection, null, new Coding(CodingSchemes.SCT, "260753009", "Source"),
                    bodySite);
        }
        return selection;
    }

    /** Fields every observation-imaging-selection child carries (ig-digest §2.6). */
    private static void common(ReportContext context, ImagingSelection selection, String profile, String code,
                               String display, CodeableReference bodySite) {
        common(context, selection, profile, Profiles.dcm(code, display), bodySite);
    }

    private static void common(ReportContext context, ImagingSelection selection, String profile, Coding code,
                               CodeableReference bodySite) {
        if (profile != null) {
            selection.getMeta().addProfile(profile);
        }
        selection.setStatus(ImagingSelection.ImagingSelectionStatus.AVAILABLE);
        selection.setSubject(context.subject());
        if (context.serviceRequest() != null) {
            selection.addBasedOn(context.serviceRequest());
        }
        selection.addDerivedFrom(context.study());
        selection.setCode(new CodeableConcept(code));
        if (bodySite != null) {
            selection.setBodySite(bodySite.copy());
        }
    }
}
