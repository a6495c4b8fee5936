package org.sr2fhir.sr;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A content tree written as one line per item in document order: position, relationship, value type, concept
 * name, Observation UID/DateTime and every value field (by-reference items: the target's position). Two trees
 * are equal when their lines are equal, and a failing assertion shows the first differing item.
 */
final class TreeLines {
    private TreeLines() {
    }

    static List<String> of(ContentItem root) {
        List<String> lines = new ArrayList<>();
        Deque<ContentItem> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            ContentItem item = pending.pop();
            lines.add(line(item));
            List<ContentItem> children = item.children();
            for (int i = children.size() - 1; i >= 0; i--) {
                pending.push(children.get(i));
            }
        }
        return lines;
    }

    private static String line(ContentItem item) {
        ContentItem.ItemHeader h = item.header();
        String common = h.path() + " " + h.relationship() + " ";
        if (item instanceof ContentItem.ByReference reference) {
            return common + "BY-REFERENCE -> " + reference.target().path();
        }
        return common + item.valueType() + " " + concept(h.conceptName()) + " uid=" + h.observationUid() + " dt="
                + h.observationDateTime() + " children=" + h.children().size() + " " + values(item);
    }

    /**
     * Decimals are compared by value, not by how they were written: DICOM JSON writes DS as JSON numbers, so
     * "10.0" in Part 10 may be 1E+1 in JSON (see DicomJsonReader).
     */
    private static Object number(Object value) {
        return value instanceof BigDecimal decimal ? decimal.stripTrailingZeros().toPlainString() : value;
    }

    /** Every field of a coded concept (its toString shows only code, designator and meaning). */
    private static String concept(CodedConcept c) {
        return c == null ? "null" : String.join("|", String.valueOf(c.value()), String.valueOf(c.longValue()),
                String.valueOf(c.urnValue()), String.valueOf(c.designator()), String.valueOf(c.version()),
                String.valueOf(c.meaning()), String.valueOf(c.schemeUid()));
    }

    /** The record's components other than its header. */
    private static String values(ContentItem item) {
        return java.util.Arrays.stream(item.getClass().getRecordComponents())
                .filter(c -> !c.getName().equals("header"))
                .map(c -> c.getName() + "=" + value(c, item))
                .collect(Collectors.joining(" "));
    }

    private static Object value(RecordComponent component, ContentItem item) {
        try {
            Object value = component.getAccessor().invoke(item);
            if (value instanceof CodedConcept concept) {
                return concept(concept);
            }
            if (value instanceof List<?> list) {
                return list.stream().map(TreeLines::number).toList();
            }
            return number(value);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
