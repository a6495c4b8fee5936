package org.sr2fhir.sr;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.sr2fhir.dicom.DicomDataset;
import org.sr2fhir.dicom.Tag;
import org.sr2fhir.sr.ContentItem.ItemHeader;

/**
 * Reads the content tree of one SR document (PS3.3 C.17.3 SR Document Content Module) into {@link ContentItem}s.
 * One instance per document: it collects the document's warnings and by-reference items, which are resolved to
 * their targets once the whole tree is read. Producer slips are tolerated with a warning, values are never guessed.
 */
final class ContentTreeReader {
    /** Deepest content tree accepted; real reports nest fewer than 15 levels. Guards the recursion. */
    static final int MAX_DEPTH = 128;

    /** Code Value is SH (PS3.3 Table 8.8-1); longer values belong in Long Code Value (0008,0119). */
    private static final int MAX_CODE_VALUE_LENGTH = 16;

    /**
     * Value types whose items need a concept name (PS3.3 Table C.17-6, Concept Name Code Sequence Type 1C; the
     * root CONTAINER needs one too). IMAGE, SCOORD and the other references may be unnamed (e.g. TID 1600 image
     * library entries, SELECTED FROM images).
     */
    private static final Set<ValueType> NAMED_VALUE_TYPES = EnumSet.of(ValueType.TEXT, ValueType.NUM,
            ValueType.CODE, ValueType.DATETIME, ValueType.DATE, ValueType.TIME, ValueType.UIDREF, ValueType.PNAME);

    private static final int MAX_UID_LENGTH = 64;
    private static final Pattern UID_SYNTAX = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");

    /** A hostile tree can have a slip in each of its many items; the document lists this many at most. */
    static final int MAX_WARNINGS = 1000;

    private final String source;
    private final String sopInstanceUid;
    private final Map<String, String> codingSchemeUids;
    private final List<String> warnings;
    private final List<ContentItem.ByReference> byReferences = new ArrayList<>();
    private int suppressedWarnings;

    ContentTreeReader(String source, String sopInstanceUid, Map<String, String> codingSchemeUids,
                      List<String> warnings) {
        this.source = source;
        this.sopInstanceUid = sopInstanceUid;
        this.codingSchemeUids = codingSchemeUids;
        this.warnings = warnings;
    }

    /** Reads the whole tree from the top-level dataset (the root CONTAINER) and resolves by-reference items. */
    ContentItem.Container readTree(DicomDataset root) throws SrDocumentException {
        ContentItem item = readItem(root, List.of(1), "1", true);
        if (!(item instanceof ContentItem.Container container)) {
            throw reject("the root content item is not a CONTAINER");
        }
        resolveReferences(container);
        if (suppressedWarnings > 0) {
            warnings.add(suppressedWarnings + " more warnings about the content tree are not listed");
        }
        return container;
    }

    /** Reads one item and its sub-tree; {@code path} is {@code position} written "1.2.3", passed down for speed. */
    private ContentItem readItem(DicomDataset ds, List<Integer> position, String path, boolean root)
            throws SrDocumentException {
        if (position.size() > MAX_DEPTH) {
            throw reject("content item " + path(position.subList(0, 5)) + "... is nested deeper than "
                    + MAX_DEPTH + " levels");
        }
        RelationshipType relationship = root ? null : relationship(ds, path);

        // A by-reference relationship (PS3.3 C.17.3.2.5): only Relationship Type and the target's identifier.
        if (!root && ds.contains(Tag.ReferencedContentItemIdentifier)) {
            if (!ds.getSequence(Tag.ContentSequence).isEmpty() || ds.contains(Tag.ValueType)) {
                warn("by-reference item " + path + " also has a Value Type or Content Sequence; only its reference "
                        + "is read");
            }
            ContentItem.ByReference reference = new ContentItem.ByReference(
                    new ItemHeader(relationship, null, null, null, position, List.of()), referencedPosition(ds, path));
            byReferences.add(reference);
            return reference;
        }

        String valueTypeText = ds.getString(Tag.ValueType);
        ValueType valueType = ValueType.parse(valueTypeText);
        if (valueType == null) {
            warn("content item " + path + " has " + (valueTypeText == null ? "no Value Type (0040,A040)"
                    : "the unknown Value Type '" + valueTypeText + "'") + "; it is skipped with its sub-tree");
            return null;
        }
        CodedConcept conceptName = code(ds.getItem(Tag.ConceptNameCodeSequence), path, "concept name");
        if (conceptName == null && (root || NAMED_VALUE_TYPES.contains(valueType))) {
            warn(valueType + " item " + path + " has no Concept Name Code Sequence (0040,A043)");
        }

        List<DicomDataset> childDatasets = ds.getSequence(Tag.ContentSequence);
        List<ContentItem> children = new ArrayList<>(childDatasets.size());
        for (int i = 0; i < childDatasets.size(); i++) {
            ContentItem child = readItem(childDatasets.get(i), append(position, i + 1), path + "." + (i + 1), false);
            if (child != null) {
                children.add(child);
            }
        }
        ItemHeader header = new ItemHeader(relationship, conceptName, ds.getString(Tag.ObservationUID),
                ds.getString(Tag.ObservationDateTime), position, children);
        return switch (valueType) {
            case CONTAINER -> container(ds, header);
            case TEXT -> new ContentItem.Text(header, required(ds, Tag.TextValue, valueType, header, "Text Value"));
            case CODE -> new ContentItem.Code(header, conceptCode(ds, header));
            case NUM -> num(ds, header);
            case DATETIME -> new ContentItem.DateTime(header,
                    required(ds, Tag.DateTime, valueType, header, "DateTime"));
            case DATE -> new ContentItem.Date(header, required(ds, Tag.Date, valueType, header, "Date"));
            case TIME -> new ContentItem.Time(header, required(ds, Tag.Time, valueType, header, "Time"));
            case UIDREF -> new ContentItem.UidRef(header, uid(required(ds, Tag.UID, valueType, header, "UID"),
                    header, "UID"));
            case PNAME -> new ContentItem.PName(header, personName(ds, header));
            case COMPOSITE -> new ContentItem.Composite(header, referencedSop(ds, header));
            case IMAGE -> new ContentItem.Image(header, referencedSop(ds, header));
            case WAVEFORM -> new ContentItem.Waveform(header, referencedSop(ds, header));
            case SCOORD -> new ContentItem.Scoord(header, ds.getString(Tag.GraphicType),
                    graphicData(ds, valueType, header), ds.getString(Tag.PixelOriginInterpretation));
            case SCOORD3D -> scoord3d(ds, header);
            case TCOORD -> tcoord(ds, header);
            case TABLE -> new ContentItem.Table(header);
        };
    }

    private RelationshipType relationship(DicomDataset ds, String path) {
        String text = ds.getString(Tag.RelationshipType);
        RelationshipType relationship = RelationshipType.parse(text);
        if (relationship == null) {
            warn("content item " + path + " has " + (text == null ? "no Relationship Type (0040,A010)"
                    : "the unknown Relationship Type '" + text + "'"));
        }
        return relationship;
    }

    private List<Integer> referencedPosition(DicomDataset ds, String path) throws SrDocumentException {
        long[] ids = longs(ds, Tag.ReferencedContentItemIdentifier, path);
        List<Integer> target = new ArrayList<>(ids.length);
        for (long id : ids) {
            if (id < 1 || id > Integer.MAX_VALUE) {
                throw reject("by-reference item " + path + " has the invalid Referenced Content Item Identifier "
                        + "value " + id);
            }
            target.add((int) id);
        }
        if (target.isEmpty() || target.get(0) != 1) {
            throw reject("by-reference item " + path + " has a Referenced Content Item Identifier (0040,DB73) "
                    + "that does not start at the root (1): " + target);
        }
        return target;
    }

    private ContentItem.Container container(DicomDataset ds, ItemHeader header) {
        String continuity = ds.getString(Tag.ContinuityOfContent);
        if (!"SEPARATE".equals(continuity) && !"CONTINUOUS".equals(continuity)) {
            warn("CONTAINER item " + header.path() + " has "
                    + (continuity == null ? "no Continuity Of Content (0040,A050)"
                    : "the invalid Continuity Of Content '" + continuity + "'") + "; read as SEPARATE");
        }
        DicomDataset template = ds.getItem(Tag.ContentTemplateSequence);
        return new ContentItem.Container(header, "CONTINUOUS".equals(continuity),
                template == null ? null : template.getString(Tag.TemplateIdentifier),
                template == null ? null : template.getString(Tag.MappingResource));
    }

    private CodedConcept conceptCode(DicomDataset ds, ItemHeader header) {
        CodedConcept value = code(ds.getItem(Tag.ConceptCodeSequence), header.path(), "value");
        if (value == null) {
            warn("CODE item " + header.path() + " has no Concept Code Sequence (0040,A168)");
        }
        return value;
    }

    /** NUM (PS3.3 Table C.18.1-1): Measured Value Sequence (Type 2) item and Numeric Value Qualifier. */
    private ContentItem.Num num(DicomDataset ds, ItemHeader header) {
        String path = header.path();
        if (!ds.contains(Tag.MeasuredValueSequence)) {
            warn("NUM item " + path + " has no Measured Value Sequence (0040,A300); read as a NUM without value");
        }
        DicomDataset measured = ds.getItem(Tag.MeasuredValueSequence);
        CodedConcept qualifier = code(ds.getItem(Tag.NumericValueQualifierCodeSequence), path, "qualifier");
        if (measured == null) {
            return new ContentItem.Num(header, null, null, null, null, null, qualifier);
        }
        List<BigDecimal> values = decimals(measured, Tag.NumericValue, path);
        if (values.size() > 1) {
            warn("NUM item " + path + " has " + values.size() + " Numeric Values; the first is used");
        }
        double[] floating = measured.getDoubles(Tag.FloatingPointValue);
        long[] numerator = longs(measured, Tag.RationalNumeratorValue, path);
        long[] denominator = longs(measured, Tag.RationalDenominatorValue, path);
        CodedConcept unit = code(measured.getItem(Tag.MeasurementUnitsCodeSequence), path, "unit");
        if (unit == null) {
            warn("NUM item " + path + " has no Measurement Units Code Sequence (0040,08EA)");
        }
        return new ContentItem.Num(header, values.isEmpty() ? null : values.get(0),
                floating.length == 0 ? null : floating[0], numerator.length == 0 ? null : numerator[0],
                denominator.length == 0 ? null : denominator[0], unit, qualifier);
    }

    private ContentItem.Scoord3D scoord3d(DicomDataset ds, ItemHeader header) throws SrDocumentException {
        String frameOfReference = uid(ds.getString(Tag.ReferencedFrameOfReferenceUID), header,
                "Referenced Frame of Reference UID");
        if (frameOfReference == null) {
            warn("SCOORD3D item " + header.path() + " has no Referenced Frame of Reference UID (3006,0024)");
        }
        return new ContentItem.Scoord3D(header, ds.getString(Tag.GraphicType),
                graphicData(ds, ValueType.SCOORD3D, header),
                frameOfReference, ds.getString(Tag.FiducialUID));
    }

    private ContentItem.Tcoord tcoord(DicomDataset ds, ItemHeader header) {
        String path = header.path();
        List<Long> samples = new ArrayList<>();
        for (long sample : longs(ds, Tag.ReferencedSamplePositions, path)) {
            samples.add(sample);
        }
        return new ContentItem.Tcoord(header, ds.getString(Tag.TemporalRangeType), samples,
                decimals(ds, Tag.ReferencedTimeOffsets, path), ds.getStrings(Tag.ReferencedDateTime));
    }

    /**
     * Graphic Data (0070,0022) is FL: each value becomes the shortest decimal that reads back to the same float,
     * so Part 10 and DICOM JSON inputs give equal coordinates. NaN or infinite coordinates cannot be mapped
     * without guessing, so they reject the document.
     */
    private List<BigDecimal> graphicData(DicomDataset ds, ValueType valueType, ItemHeader header)
            throws SrDocumentException {
        double[] data = ds.getDoubles(Tag.GraphicData);
        if (data.length == 0) {
            warn(valueType + " item " + header.path() + " has no Graphic Data (0070,0022)");
        }
        List<BigDecimal> coordinates = new ArrayList<>(data.length);
        for (double value : data) {
            float single = (float) value;
            if (!Float.isFinite(single)) {
                throw reject("spatial coordinate item " + header.path() + " has a Graphic Data value that is not a "
                        + "finite number (" + value + ")");
            }
            coordinates.add(new BigDecimal(Float.toString(single)));
        }
        return coordinates;
    }

    private ReferencedSop referencedSop(DicomDataset ds, ItemHeader header) {
        String path = header.path();
        DicomDataset reference = ds.getItem(Tag.ReferencedSOPSequence);
        if (reference == null) {
            warn("item " + path + " has no Referenced SOP Sequence (0008,1199)");
            return null;
        }
        String sopClass = uid(reference.getString(Tag.ReferencedSOPClassUID), header, "Referenced SOP Class UID");
        String sopInstance = uid(reference.getString(Tag.ReferencedSOPInstanceUID), header,
                "Referenced SOP Instance UID");
        if (sopClass == null || sopInstance == null) {
            warn("item " + path + " references a SOP instance without "
                    + (sopClass == null ? "Referenced SOP Class UID" : "Referenced SOP Instance UID"));
        }
        return new ReferencedSop(sopClass, sopInstance, ints(reference, Tag.ReferencedFrameNumber, path),
                ints(reference, Tag.ReferencedSegmentNumber, path),
                ints(reference, Tag.ReferencedWaveformChannels, path));
    }

    private org.sr2fhir.dicom.PersonName personName(DicomDataset ds, ItemHeader header) {
        required(ds, Tag.PersonName, ValueType.PNAME, header, "Person Name");
        return ds.getPersonName(Tag.PersonName);
    }

    /** A Code Sequence Macro item (PS3.3 Table 8.8-1), with its Coding Scheme UID from (0008,0110). */
    private CodedConcept code(DicomDataset item, String path, String role) {
        if (item == null) {
            return null;
        }
        String value = item.getString(Tag.CodeValue);
        String longValue = item.getString(Tag.LongCodeValue);
        String urnValue = item.getString(Tag.URNCodeValue);
        String designator = item.getString(Tag.CodingSchemeDesignator);
        if (value != null && value.length() > MAX_CODE_VALUE_LENGTH) {
            warn("content item " + path + ": " + role + " Code Value '" + value + "' is longer than 16 characters");
        }
        if (value == null && longValue == null && urnValue == null) {
            warn("content item " + path + ": " + role + " code has no Code Value, Long Code Value or URN Code Value");
        }
        if (designator == null && urnValue == null) {
            warn("content item " + path + ": " + role + " code has no Coding Scheme Designator");
        }
        return new CodedConcept(value, longValue, urnValue, designator, item.getString(Tag.CodingSchemeVersion),
                item.getString(Tag.CodeMeaning), designator == null ? null : codingSchemeUids.get(designator));
    }

    /** Warns about a UID that breaks PS3.5 §9.1 (digits and dots, no leading zeros, at most 64 characters). */
    private String uid(String uid, ItemHeader header, String name) {
        if (uid != null && (uid.length() > MAX_UID_LENGTH || !UID_SYNTAX.matcher(uid).matches())) {
            warn("content item " + header.path() + ": " + name + " '" + uid + "' is not a valid UID ("
                    + (uid.length() > MAX_UID_LENGTH ? uid.length() + " characters" : "syntax") + ")");
        }
        return uid;
    }

    /** The value of a Type 1 value element; a missing one is warned about and read as null. */
    private String required(DicomDataset ds, int tag, ValueType valueType, ItemHeader header, String name) {
        String value = ds.getString(tag);
        if (value == null) {
            warn(valueType + " item " + header.path() + " has no " + name + " " + Tag.toString(tag));
        }
        return value;
    }

    private List<BigDecimal> decimals(DicomDataset ds, int tag, String path) {
        try {
            return ds.getDecimals(tag);
        } catch (NumberFormatException e) {
            warn("content item " + path + ": " + Tag.toString(tag) + " value " + ds.getStrings(tag)
                    + " is not a decimal number; read as no value");
            return List.of();
        }
    }

    private long[] longs(DicomDataset ds, int tag, String path) {
        try {
            return ds.getLongs(tag);
        } catch (NumberFormatException e) {
            warn("content item " + path + ": " + Tag.toString(tag) + " value " + ds.getStrings(tag)
                    + " is not an integer; read as no value");
            return new long[0];
        }
    }

    private List<Integer> ints(DicomDataset ds, int tag, String path) {
        long[] values = longs(ds, tag, path);
        List<Integer> result = new ArrayList<>(values.length);
        for (long value : values) {
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                warn("content item " + path + ": " + Tag.toString(tag) + " value " + value
                        + " is out of range; the element is ignored");
                return List.of();
            }
            result.add((int) value);
        }
        return result;
    }

    /**
     * Points every by-reference item at the by-value item at its Referenced Content Item Identifier. Walks the
     * tree with an explicit stack, so a wide or deep tree costs no recursion.
     */
    private void resolveReferences(ContentItem.Container root) throws SrDocumentException {
        if (byReferences.isEmpty()) {
            return;
        }
        Map<List<Integer>, ContentItem> byPosition = new HashMap<>();
        Deque<ContentItem> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            ContentItem item = pending.pop();
            if (!(item instanceof ContentItem.ByReference)) {
                byPosition.put(item.header().position(), item);
                item.children().forEach(pending::push);
            }
        }
        for (ContentItem.ByReference reference : byReferences) {
            List<Integer> targetPosition = reference.referencedPosition();
            List<Integer> position = reference.header().position();
            if (targetPosition.size() <= position.size()
                    && position.subList(0, targetPosition.size()).equals(targetPosition)) {
                // a reference to an ancestor would make the tree a cycle for every reader that follows it
                throw reject("by-reference item " + reference.path() + " points at its own ancestor "
                        + path(targetPosition) + ", which would make the content tree a loop");
            }
            ContentItem target = byPosition.get(targetPosition);
            if (target == null) {
                throw reject("by-reference item " + reference.path() + " points at content item "
                        + path(reference.referencedPosition()) + ", which is not a by-value item of this document");
            }
            reference.resolve(target);
        }
    }

    private void warn(String warning) {
        if (warnings.size() < MAX_WARNINGS) {
            warnings.add(warning);
        } else {
            suppressedWarnings++;
        }
    }

    private SrDocumentException reject(String reason) {
        return new SrDocumentException(source, sopInstanceUid, reason);
    }

    private static List<Integer> append(List<Integer> position, int index) {
        List<Integer> child = new ArrayList<>(position.size() + 1);
        child.addAll(position);
        child.add(index);
        return child;
    }

    private static String path(List<Integer> position) {
        return position.stream().map(String::valueOf).collect(Collectors.joining("."));
    }
}
