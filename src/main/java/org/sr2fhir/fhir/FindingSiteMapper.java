package org.sr2fhir.fhir;

import org.hl7.fhir.r5.model.BodyStructure;
import org.hl7.fhir.r5.model.CodeableReference;
import org.hl7.fhir.r5.model.Identifier;
import org.sr2fhir.tid1500.FindingSite;

/**
 * dicom-sr-finding-site BodyStructure (decision D10): Finding Site + Laterality / Topographical modifier +
 * Tracking Identifier / UID. BodyStructures of the same tracked finding share one id (key = Tracking UID, else
 * Tracking Identifier + site), so a report that tracks one finding in several groups yields one BodyStructure.
 */
final class FindingSiteMapper {
    static final String ROLE = "finding-site";

    private final CodingSchemes schemes;

    FindingSiteMapper(CodingSchemes schemes) {
        this.schemes = schemes;
    }

    /** True when the site needs a BodyStructure rather than a plain bodySite (D10). */
    static boolean needsBodyStructure(FindingSite site, String trackingIdentifier, String trackingUid) {
        return site != null && (site.hasModifier() || trackingIdentifier != null || trackingUid != null);
    }

    static String key(FindingSite site, String trackingIdentifier, String trackingUid, String path) {
        if (trackingUid != null) {
            return "uid:" + trackingUid;
        }
        String siteKey = site.site().designator() + ":" + site.site().code()
                + (site.laterality() == null ? "" : "/" + site.laterality().code())
                + (site.topographicalModifier() == null ? "" : "/" + site.topographicalModifier().code());
        return trackingIdentifier != null ? "id:" + trackingIdentifier + "|" + siteKey : "item:" + path;
    }

    MappedEntry bodyStructure(ReportContext context, FindingSite site, String trackingIdentifier,
                              String trackingUid, String key) {
        BodyStructure body = new BodyStructure();
        body.getMeta().addProfile(Profiles.FINDING_SITE);
        if (trackingIdentifier != null) {
            body.addIdentifier(new Identifier().setType(Profiles.dcmConcept("112039", "Tracking Identifier"))
                    .setValue(trackingIdentifier));
        }
        if (trackingUid != null) {
            body.addIdentifier(new Identifier().setType(Profiles.dcmConcept("112040", "Tracking Unique Identifier"))
                    .setSystem(Profiles.DICOM_UID).setValue(Profiles.oid(trackingUid)));
        }
        BodyStructure.BodyStructureIncludedStructureComponent included = body.addIncludedStructure();
        included.setStructure(schemes.concept(site.site()));
        if (site.laterality() != null) {
            included.setLaterality(schemes.concept(site.laterality()));
        }
        if (site.topographicalModifier() != null) {
            included.addQualifier(schemes.concept(site.topographicalModifier()));
        }
        body.setPatient(context.subject());
        return context.entries().entry(body, ROLE, key);
    }

    /** The group's site as an ImagingSelection.bodySite (FHIR-47943). */
    static CodeableReference asCodeableReference(String bodyStructureFullUrl) {
        return new CodeableReference(new org.hl7.fhir.r5.model.Reference(bodyStructureFullUrl));
    }
}
