package org.sr2fhir.tid1500;

import org.sr2fhir.sr.CodedConcept;
import org.sr2fhir.sr.ContentItem;

import java.util.function.Consumer;

/**
 * Finding Site (SCT 363698007, TID 1419 row 2 / TID 300 row 6 / TID 1501 row 7) with its Laterality
 * (SCT 272741003) and Topographical modifier (SCT 106233006) concept modifiers. A group, measurement or evaluation may
 * have several (PS3.16 TID 300: "a region of interest spans multiple anatomical locations"; decision D24).
 */
public record FindingSite(CodedConcept site, CodedConcept laterality, CodedConcept topographicalModifier) {

    /** True when a modifier is present: the site then needs a BodyStructure (decision D10). */
    public boolean hasModifier() {
        return laterality != null || topographicalModifier != null;
    }

    /** True for a Finding Site row (any relationship: some producers write CONTAINS). */
    static boolean is(ContentItem item) {
        return item instanceof ContentItem.Code && LegacyCodes.isSct(item.conceptName(), "363698007");
    }

    /** The site and its modifiers; any other child of the Finding Site item goes to {@code notMapped}. */
    static FindingSite of(ContentItem.Code item, Consumer<ContentItem> notMapped) {
        CodedConcept laterality = null;
        CodedConcept modifier = null;
        for (ContentItem child : item.children()) {
            if (child instanceof ContentItem.Code m && m.value() != null && laterality == null
                    && LegacyCodes.isSct(child.conceptName(), "272741003")) {
                laterality = m.value();
            } else if (child instanceof ContentItem.Code m && m.value() != null && modifier == null
                    && LegacyCodes.isSct(child.conceptName(), "106233006")) {
                modifier = m.value();
            } else {
                notMapped.accept(child);
            }
        }
        return new FindingSite(item.value(), laterality, modifier);
    }
}
