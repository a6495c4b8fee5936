package org.sr2fhir.tid1500;

import org.sr2fhir.sr.CodedConcept;
import org.sr2fhir.sr.ContentItem;

import java.util.List;

/**
 * TID 4019 Algorithm Identification: Algorithm Name (DCM 111001, row 1), Version (111003, row 2),
 * Parameters (111002, row 3) and Family (111000, row 1a). Records compare by value, which is the identity of
 * one AlgorithmIdentification Device per report (decision D9).
 */
public record AlgorithmIdentification(String name, String version, CodedConcept family, List<String> parameters) {

    public AlgorithmIdentification {
        parameters = List.copyOf(parameters);
    }

    /**
     * The TID 4019 rows among {@code item}'s children, or null when it has no Algorithm Name. Version and
     * Parameters are read both as siblings of the Name (highdicom, dcmqi) and nested under it (TID 4019's
     * nesting level ">").
     */
    static AlgorithmIdentification of(ContentItem item) {
        String name = null;
        String version = null;
        CodedConcept family = null;
        List<String> parameters = new java.util.ArrayList<>();
        List<ContentItem> rows = new java.util.ArrayList<>(item.children());
        item.children().stream().filter(c -> c.is("DCM", "111001")).findFirst()
                .ifPresent(n -> rows.addAll(n.children()));
        for (ContentItem child : rows) {
            if (child instanceof ContentItem.Text text && child.is("DCM", "111001")) {
                name = name == null ? text.text() : name;
            } else if (child instanceof ContentItem.Text text && child.is("DCM", "111003")) {
                version = version == null ? text.text() : version;
            } else if (child instanceof ContentItem.Text text && child.is("DCM", "111002")) {
                parameters.add(text.text());
            } else if (child instanceof ContentItem.Code code && child.is("DCM", "111000")) {
                family = code.value();
            }
        }
        return name == null ? null : new AlgorithmIdentification(name, version, family, parameters);
    }

    /** True for the concept names of TID 4019 rows (not qualitative evaluations, decision D11). */
    static boolean isRow(ContentItem item) {
        return item.is("DCM", "111000") || item.is("DCM", "111001") || item.is("DCM", "111002")
                || item.is("DCM", "111003");
    }
}
