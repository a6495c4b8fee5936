package org.sr2fhir.fhir;

import org.hl7.fhir.r5.model.BodyStructure;
import org.hl7.fhir.r5.model.CodeableReference;
import org.hl7.fhir.r5.model.Identifier;
import org.sr2fhir.tid1500.FindingSite;

import java.util.List;
import java.util.stream.Collectors;

/**
 * dicom-sr-finding-site BodyStructure (decisions D10, D24): the Finding Sites, one includedStructure each with its own
 * Laterality / Topographical modifier, + Tracking Identifier / UID. BodyStructures of the same tracked finding share
 * one id (key = Tracking UID, else Tracking Identifier + sites), so a report that tracks one finding in several groups
 * yields one BodyStructure.
 */
final class FindingSiteMapper {
    static final String ROLE = "finding-site";

    private final CodingSchemes schemes;

    FindingSiteMapper(CodingSchemes schemes) {
        this.schemes = schemes;
    }

    /**
     * True when the sites need a BodyStructure rather than a plain bodySite: a modifier or tracking ids (D10), or more
     * than one site, since Observation.bodySite holds one concept (D24).
     */
    static boolean needsBodyStructure(List<FindingSite> sites, String trackingIdentifier, String trackingUid) {
        return !sites.isEmpty() && (sites.size() > 1 || sites.get(0).hasModifier() || trackingIdentifier != null
                || trackingUid != null);
    }

    static String key(List<FindingSite> sites, String trackingIdentifier, String trackingUid, String path) {
        if (trackingUid != null) {
            return "uid:" + trackingUid;
        }
        String siteKey = sites.stream().map(site -> site.site().designator() + ":" + site.site().code()
                + (site.laterality() == null ? "" : "/" + site.laterality().code())
                + (site.topographicalModifier() == null ? "" : "/" + site.topographicalModifier().code()))
                .collect(Collectors.joining(";"));
        return trackingIdentifier != null ? "id:" + trackingIdentifier + "|" + siteKey : "item:" + path;
    }

    MappedEntry bodyStructure(ReportContext context, List<FindingSite> sites, String trackingIdentifier,
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
        for (FindingSite site : sites) {
            BodyStructure.BodyStructureIncludedStructureComponent included = body.addIncludedStructure();
            included.setStructure(schemes.concept(site.site()));
            if (site.laterality() != null) {
                included.setLaterality(schemes.concept(site.laterality()));
            }
            if (site.topographicalModifier() != null) {
                included.addQualifier(schemes.concept(site.topographicalModifier()));
            }
        }
        body.setPatient(context.subject());
        return context.entries().entry(body, ROLE, key);
    }

    /** The group's site as an ImagingSelection.bodySite (FHIR-47943). */
    static CodeableReference asCodeableReference(String bodyStructureFullUrl) {
        return new CodeableReference(new org.hl7.fhir.r5.model.Reference(bodyStructureFullUrl));
    }
}
