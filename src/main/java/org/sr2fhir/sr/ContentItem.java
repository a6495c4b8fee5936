package org.sr2fhir.sr;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.sr2fhir.dicom.PersonName;

/**
 * A node of the SR content tree (PS3.3 C.17.3), one type per value type, highdicom-style. Every item has an
 * {@link ItemHeader}: its relationship to the parent, concept name, Observation UID/DateTime, its position in
 * the tree (the content item identifier path used by by-reference relationships and deterministic ids) and its
 * children in document order.
 */
public sealed interface ContentItem {

    ItemHeader header();

    ValueType valueType();

    default RelationshipType relationship() {
        return header().relationship();
    }

    default CodedConcept conceptName() {
        return header().conceptName();
    }

    default List<ContentItem> children() {
        return header().children();
    }

    /** The Observation UID (0040,A171) of this item, or null. */
    default String observationUid() {
        return header().observationUid();
    }

    /** The Observation DateTime (0040,A032) of this item as written, or null. */
    default String observationDateTime() {
        return header().observationDateTime();
    }

    /** Content item identifier path, e.g. "1.2.3" (root = "1"). */
    default String path() {
        return header().path();
    }

    /** True when this item's concept name is (designator, code). */
    default boolean is(String designator, String code) {
        return conceptName() != null && conceptName().is(designator, code);
    }

    /** Direct children with this relationship and concept name. */
    default List<ContentItem> children(RelationshipType relationship, String designator, String code) {
        return children().stream()
                .filter(c -> (relationship == null || c.relationship() == relationship) && c.is(designator, code))
                .toList();
    }

    /** The first direct child with this concept name (any relationship), or null. */
    default ContentItem child(String designator, String code) {
        return children().stream().filter(c -> c.is(designator, code)).findFirst().orElse(null);
    }

    /**
     * Common attributes of every content item.
     *
     * @param relationship relationship to the parent; null for the root
     * @param position     content item identifier path: 1-based index of each item from the root (root = [1])
     */
    record ItemHeader(RelationshipType relationship, CodedConcept conceptName, String observationUid,
                      String observationDateTime, List<Integer> position, List<ContentItem> children) {
        public ItemHeader {
            position = List.copyOf(position);
            children = children == null ? List.of() : List.copyOf(children);
        }

        public String path() {
            return position.stream().map(String::valueOf).collect(Collectors.joining("."));
        }
    }

    /** CONTAINER; {@code templateId} from Content Template Sequence (0040,A504), e.g. "1500". */
    record Container(ItemHeader header, boolean continuous, String templateId, String mappingResource)
            implements ContentItem {
        public ValueType valueType() {
            return ValueType.CONTAINER;
        }
    }

    record Text(ItemHeader header, String text) implements ContentItem {
        public ValueType valueType() {
            return ValueType.TEXT;
        }
    }

    record Code(ItemHeader header, CodedConcept value) implements ContentItem {
        public ValueType valueType() {
            return ValueType.CODE;
        }
    }

    /**
     * NUM (PS3.3 Table C.18.1-1): Numeric Value as an exact decimal (null when the Measured Value Sequence is
     * empty or, with a warning, missing), Floating Point Value, rational value, measurement units (null only
     * with a warning) and Numeric Value Qualifier.
     */
    record Num(ItemHeader header, BigDecimal numericValue, Double floatingPointValue, Long rationalNumerator,
               Long rationalDenominator, CodedConcept unit, CodedConcept qualifier) implements ContentItem {
        public ValueType valueType() {
            return ValueType.NUM;
        }
    }

    record DateTime(ItemHeader header, String value) implements ContentItem {
        public ValueType valueType() {
            return ValueType.DATETIME;
        }
    }

    record Date(ItemHeader header, String value) implements ContentItem {
        public ValueType valueType() {
            return ValueType.DATE;
        }
    }

    record Time(ItemHeader header, String value) implements ContentItem {
        public ValueType valueType() {
            return ValueType.TIME;
        }
    }

    record UidRef(ItemHeader header, String uid) implements ContentItem {
        public ValueType valueType() {
            return ValueType.UIDREF;
        }
    }

    record PName(ItemHeader header, PersonName name) implements ContentItem {
        public ValueType valueType() {
            return ValueType.PNAME;
        }
    }

    /** COMPOSITE; {@code sop} (also of IMAGE and WAVEFORM) is null only when, with a warning, it is missing. */
    record Composite(ItemHeader header, ReferencedSop sop) implements ContentItem {
        public ValueType valueType() {
            return ValueType.COMPOSITE;
        }
    }

    record Image(ItemHeader header, ReferencedSop sop) implements ContentItem {
        public ValueType valueType() {
            return ValueType.IMAGE;
        }
    }

    record Waveform(ItemHeader header, ReferencedSop sop) implements ContentItem {
        public ValueType valueType() {
            return ValueType.WAVEFORM;
        }
    }

    /**
     * SCOORD: Graphic Type and Graphic Data (column,row pairs). Graphic Data is FL; each value is kept as the
     * shortest decimal that reads back to the same float, so Part 10 and DICOM JSON give equal values.
     */
    record Scoord(ItemHeader header, String graphicType, List<BigDecimal> graphicData,
                  String pixelOriginInterpretation) implements ContentItem {
        public ValueType valueType() {
            return ValueType.SCOORD;
        }
    }

    /** SCOORD3D: Graphic Type, (x,y,z) Graphic Data as decimals (see {@link Scoord}), Frame of Reference UID. */
    record Scoord3D(ItemHeader header, String graphicType, List<BigDecimal> graphicData, String frameOfReferenceUid,
                    String fiducialUid) implements ContentItem {
        public ValueType valueType() {
            return ValueType.SCOORD3D;
        }
    }

    record Tcoord(ItemHeader header, String temporalRangeType, List<Long> samplePositions,
                  List<BigDecimal> timeOffsets, List<String> dateTimes) implements ContentItem {
        public ValueType valueType() {
            return ValueType.TCOORD;
        }
    }

    /** TABLE (PS3.3 C.18.10); kept as a node so the tree stays complete; its cells are not used by the mapping. */
    record Table(ItemHeader header) implements ContentItem {
        public ValueType valueType() {
            return ValueType.TABLE;
        }
    }

    /**
     * A by-reference relationship (Referenced Content Item Identifier (0040,DB73)): this node stands in the tree
     * where the reference was written; {@link #target()} is the item it points at, resolved once the whole
     * tree is built. Its header has no concept name and no children.
     */
    final class ByReference implements ContentItem {
        private final ItemHeader header;
        private final List<Integer> referencedPosition;
        private ContentItem target;

        public ByReference(ItemHeader header, List<Integer> referencedPosition) {
            this.header = header;
            this.referencedPosition = List.copyOf(referencedPosition);
        }

        public ItemHeader header() {
            return header;
        }

        /** The target's value type, or null while unresolved. */
        public ValueType valueType() {
            return target == null ? null : target.valueType();
        }

        public List<Integer> referencedPosition() {
            return referencedPosition;
        }

        public ContentItem target() {
            return target;
        }

        /** Set once by the tree builder after the whole tree is read. */
        public void resolve(ContentItem target) {
            if (this.target != null) {
                throw new IllegalStateException("by-reference item " + header.path() + " already resolved");
            }
            this.target = Objects.requireNonNull(target);
        }

        @Override
        public String toString() {
            return "ByReference[" + header.path() + " -> " + referencedPosition + "]";
        }
    }
}
