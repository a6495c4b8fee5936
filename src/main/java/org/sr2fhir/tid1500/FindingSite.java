package org.sr2fhir.tid1500;

import org.sr2fhir.sr.CodedConcept;
import org.sr2fhir.sr.ContentItem;

/**
 * Finding Site (SCT 363698007, TID 1419 row 2 / TID 300 row 6 / TID 1501 row 7) with its Laterality
 * (SCT 272741003) and Topographical modifier (SCT 106233006) concept modifiers.
 */
public record FindingSite(CodedConcept site, CodedConcept laterality, CodedConcept topographicalModifier) {

    /** True when a modifier is present: the site then needs a BodyStructure (decision D10). */
    public boolean hasModifier() {
        return laterality != null || topographicalModifier != null;
    }

    /** The Finding Site among {@code item}'s children (any relationship: some producers write CONTAINS), or null. */
    static FindingSite of(ContentItem item) {
        for (ContentItem child : item.children()) {
            if (child instanceof ContentItem.Code code && LegacyCodes.isSct(child.conceptName(), "363698007")) {
                CodedConcept laterality = null;
                CodedConcept modifier = null;
                for (ContentItem mod : child.children()) {
                    if (mod instanceof ContentItem.Code m && LegacyCodes.isSct(mod.conceptName(), "272741003")) {
                        laterality = m.value();
                    } else if (mod instanceof ContentItem.Code m
                            && LegacyCodes.isSct(mod.conceptName(), "106233006")) {
                        modifier = m.value();
                    }
                }
                return new FindingSite(code.value(), laterality, modifier);
            }
        }
        return null;
    }
}
