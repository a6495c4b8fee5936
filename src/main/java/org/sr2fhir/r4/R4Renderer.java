package org.sr2fhir.r4;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.convertors.factory.VersionConvertorFactory_40_50;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.BodyStructure;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;
import org.hl7.fhir.r5.model.CanonicalType;
import org.hl7.fhir.r5.model.ImagingSelection;

/**
 * The R4 rendering of the one mapping's R5 transaction Bundle (decisions D35-D41): every resource goes through HAPI's
 * {@link VersionConvertorFactory_40_50}, then the R5 elements the converter leaves out are written by hand as HL7's
 * cross-version ({@code hl7.fhir.uv.xver-r5.r4}) extensions or their R4 equivalents. The ImagingSelection, which R4
 * does not have, becomes a {@code Basic} ({@link ImagingSelectionCarrier}). Ids, PUT / conditional requests and the
 * split by group (D5, D6) are the R5 Bundle's, unchanged. Thread-safe.
 */
public final class R4Renderer {
    /** Where the dicom-sr profile an R5 resource claimed is kept in R4 (decision D36): a meta.tag, searchable. */
    public static final String R5_PROFILE_TAG = "http://sr2fhir.org/fhir/CodeSystem/r5-profile";
    private static final String DICOM_SR_PROFILES = "http://hl7.org/fhir/uv/dicom-sr/StructureDefinition/";
    private static final String SELECTION = "ImagingSelection";

    /**
     * The R5 elements this class writes or rewrites by hand, per resource type: those the converter drops, plus
     * derivedFrom (to a Basic). R4RoundTripTest checks that the converter's round trip loses nothing else.
     */
    public static final Map<String, List<String>> WRITTEN_BY_HAND = Map.of(
            "Observation", List.of("bodyStructure", "triggeredBy", "derivedFrom"),
            "BodyStructure", List.of("includedStructure"),
            "Device", List.of("displayName", "property.value"),
            "DiagnosticReport", List.of("study"),
            SELECTION, List.of("*"));

    private final FhirTerser terser = FhirContext.forR4Cached().newTerser();

    /** The R4 rendering of each part, in order. */
    public List<Bundle> render(List<org.hl7.fhir.r5.model.Bundle> parts) {
        return parts.stream().map(this::render).toList();
    }

    public Bundle render(org.hl7.fhir.r5.model.Bundle r5) {
        Map<String, String> typeByFullUrl = new HashMap<>();
        r5.getEntry().forEach(e -> {
            if (e.hasResource()) {
                typeByFullUrl.put(e.getFullUrl(), e.getResource().fhirType());
            }
        });
        Bundle bundle = new Bundle();
        bundle.setType(Bundle.BundleType.fromCode(r5.getType().toCode()));
        if (r5.hasId()) {
            bundle.setId(r5.getIdPart());
        }
        for (org.hl7.fhir.r5.model.Bundle.BundleEntryComponent entry : r5.getEntry()) {
            Bundle.BundleEntryComponent target = bundle.addEntry().setFullUrl(entry.getFullUrl());
            if (entry.hasResource()) {
                target.setResource(resource(entry.getResource(), typeByFullUrl));
            }
            if (entry.hasRequest()) {
                org.hl7.fhir.r5.model.Bundle.BundleEntryRequestComponent request = entry.getRequest();
                target.getRequest().setMethod(Bundle.HTTPVerb.fromCode(request.getMethod().toCode()))
                        .setUrl(selectionAsBasic(request.getUrl()));
                if (request.hasIfNoneExist()) {
                    target.getRequest().setIfNoneExist(request.getIfNoneExist());
                }
            }
        }
        return bundle;
    }

    private Resource resource(org.hl7.fhir.r5.model.Resource r5, Map<String, String> typeByFullUrl) {
        Resource r4 = r5 instanceof ImagingSelection selection ? ImagingSelectionCarrier.toBasic(selection)
                : VersionConvertorFactory_40_50.convertResource(r5);
        if (r5 instanceof org.hl7.fhir.r5.model.Observation observation) {
            observation((Observation) r4, observation, typeByFullUrl);
        } else if (r5 instanceof org.hl7.fhir.r5.model.BodyStructure site) {
            bodyStructure((BodyStructure) r4, site);
        } else if (r5 instanceof org.hl7.fhir.r5.model.Device device) {
            device((Device) r4, device);
        } else if (r5 instanceof org.hl7.fhir.r5.model.DiagnosticReport report) {
            diagnosticReport((DiagnosticReport) r4, report, typeByFullUrl);
        }
        profiles(r4, r5);
        // every reference to a selection names its Basic (Type/id and conditional forms; urn:uuid ones are unchanged)
        for (Reference reference : terser.getAllPopulatedChildElementsOfType(r4, Reference.class)) {
            if (reference.hasReference()) {
                reference.setReference(selectionAsBasic(reference.getReference()));
            }
        }
        return r4;
    }

    /**
     * Decision D36: the xver profile of the resource type where the R5 resource claimed a dicom-sr profile (R4 has no
     * dicom-sr profile, and claiming the R5 one is an error); the R5 profile itself kept as a meta.tag.
     */
    private static void profiles(Resource r4, org.hl7.fhir.r5.model.Resource r5) {
        r4.getMeta().getProfile().removeIf(p -> p.getValue().startsWith(DICOM_SR_PROFILES));
        boolean igShaped = false;
        for (CanonicalType profile : r5.getMeta().getProfile()) {
            if (profile.getValue().startsWith(DICOM_SR_PROFILES)) {
                r4.getMeta().addTag(R5_PROFILE_TAG, profile.getValue(), null);
                igShaped = true;
            }
        }
        String xver = switch (r4.fhirType()) {
            case "Observation", "BodyStructure", "Device", "DiagnosticReport" -> Xver.profile(r4.fhirType());
            default -> null;
        };
        if (igShaped && xver != null && r4.getMeta().getProfile().stream().noneMatch(p -> xver.equals(p.getValue()))) {
            r4.getMeta().addProfile(xver);
        }
    }

    /** Decision D38: bodyStructure and triggeredBy as xver extensions; a derivedFrom to a selection via alternate-reference. */
    private static void observation(Observation r4, org.hl7.fhir.r5.model.Observation r5, Map<String, String> typeByFullUrl) {
        if (r5.hasBodyStructure()) {
            r4.addExtension(Xver.extension("Observation.bodyStructure"), r4(r5.getBodyStructure()));
        }
        for (org.hl7.fhir.r5.model.Observation.ObservationTriggeredByComponent trigger : r5.getTriggeredBy()) {
            Extension e = r4.addExtension().setUrl(Xver.extension("Observation.triggeredBy"));
            e.addExtension("observation", r4(trigger.getObservation()));
            e.addExtension("type", new org.hl7.fhir.r4.model.CodeType(trigger.getType().toCode()));
            if (trigger.hasReason()) {
                e.addExtension("reason", new StringType(trigger.getReason()));
            }
        }
        for (Reference derivedFrom : r4.getDerivedFrom()) {
            if (isSelection(derivedFrom.getReference(), typeByFullUrl)) {
                // R4 derivedFrom cannot target Basic: no reference, the Basic in alternate-reference (xver rule)
                String target = selectionAsBasic(derivedFrom.getReference());
                derivedFrom.setReference(null);
                derivedFrom.addExtension(Xver.ALTERNATE_REFERENCE, new Reference(target));
                if (!derivedFrom.hasDisplay()) {
                    derivedFrom.setDisplay("ImagingSelection");
                }
            }
        }
    }

    /**
     * Decision D39: every R5 includedStructure as the xver extension (several sites and each one's laterality and
     * qualifiers kept); the first also as R4's location / locationQualifier, which R4 servers search.
     */
    private static void bodyStructure(BodyStructure r4, org.hl7.fhir.r5.model.BodyStructure r5) {
        for (org.hl7.fhir.r5.model.BodyStructure.BodyStructureIncludedStructureComponent site : r5.getIncludedStructure()) {
            Extension e = r4.addExtension().setUrl(Xver.extension("BodyStructure.includedStructure"));
            e.addExtension("structure", r4(site.getStructure()));
            if (site.hasLaterality()) {
                e.addExtension("laterality", r4(site.getLaterality()));
            }
            site.getQualifier().forEach(q -> e.addExtension("qualifier", r4(q)));
        }
        if (r5.hasIncludedStructure()) {
            org.hl7.fhir.r5.model.BodyStructure.BodyStructureIncludedStructureComponent first = r5.getIncludedStructureFirstRep();
            r4.setLocation((CodeableConcept) r4(first.getStructure()));
            if (first.hasLaterality()) {
                r4.addLocationQualifier((CodeableConcept) r4(first.getLaterality()));
            }
            first.getQualifier().forEach(q -> r4.addLocationQualifier((CodeableConcept) r4(q)));
        }
    }

    /**
     * Decision D40: R5 displayName as R4 deviceName (user-friendly-name), with the xver displayName extension; a
     * property value R4 has no type for (the algorithm parameters' strings, D9) as the xver property.value extension.
     */
    private static void device(Device r4, org.hl7.fhir.r5.model.Device r5) {
        for (int i = 0; i < r5.getProperty().size() && i < r4.getProperty().size(); i++) {
            org.hl7.fhir.r5.model.DataType value = r5.getProperty().get(i).getValue();
            if (value != null && !(value instanceof org.hl7.fhir.r5.model.Quantity)
                    && !(value instanceof org.hl7.fhir.r5.model.CodeableConcept)) {
                r4.getProperty().get(i).addExtension(Xver.extension("Device.property.value"), r4(value));
            }
        }
        if (r5.hasDisplayName()) {
            Device.DeviceDeviceNameComponent name = r4.addDeviceName().setName(r5.getDisplayName())
                    .setType(Device.DeviceNameType.USERFRIENDLYNAME);
            name.addExtension(Xver.extension("Device.displayName"), new StringType(r5.getDisplayName()));
        }
    }

    /** Decision D40: R5 study → R4 imagingStudy when it names an ImagingStudy, otherwise the xver study extension. */
    private static void diagnosticReport(DiagnosticReport r4, org.hl7.fhir.r5.model.DiagnosticReport r5,
                                         Map<String, String> typeByFullUrl) {
        for (org.hl7.fhir.r5.model.Reference study : r5.getStudy()) {
            String reference = study.getReference();
            boolean imagingStudy = reference != null && (reference.startsWith("ImagingStudy/")
                    || reference.startsWith("ImagingStudy?") || "ImagingStudy".equals(typeByFullUrl.get(reference)));
            if (imagingStudy) {
                r4.addImagingStudy((Reference) r4(study));
            } else {
                r4.addExtension(Xver.extension("DiagnosticReport.study"), r4(study));
            }
        }
    }

    private static boolean isSelection(String reference, Map<String, String> typeByFullUrl) {
        return reference != null && (reference.startsWith(SELECTION + "/") || reference.startsWith(SELECTION + "?")
                || SELECTION.equals(typeByFullUrl.get(reference)));
    }

    /** {@code ImagingSelection/x} → {@code Basic/x}, also in request URLs and conditional references. */
    static String selectionAsBasic(String reference) {
        if (reference != null && (reference.equals(SELECTION) || reference.startsWith(SELECTION + "/")
                || reference.startsWith(SELECTION + "?"))) {
            return "Basic" + reference.substring(SELECTION.length());
        }
        return reference;
    }

    private static Type r4(org.hl7.fhir.r5.model.DataType value) {
        return VersionConvertorFactory_40_50.convertType(value);
    }

    /** The Basic carrying an R5 ImagingSelection: recognised by its xver profile. */
    public static boolean isSelectionCarrier(Resource resource) {
        return resource instanceof Basic basic && basic.getMeta().hasProfile(ImagingSelectionCarrier.PROFILE);
    }

}
