package org.sr2fhir.r4;

import org.hl7.fhir.convertors.factory.VersionConvertorFactory_40_50;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;
import org.hl7.fhir.r4.model.UnsignedIntType;
import org.hl7.fhir.r5.model.ImagingSelection;

/**
 * An R5 ImagingSelection as the R4 {@code Basic} of HL7's cross-version package (profile-ImagingSelection), every R5
 * element as its {@code extension-ImagingSelection.*} extension (decision D37). HAPI's converter has no
 * ImagingSelection (it does not exist in R4), so this is the one resource rendered by hand.
 */
final class ImagingSelectionCarrier {
    static final String PROFILE = Xver.profile("ImagingSelection");

    private ImagingSelectionCarrier() {
    }

    static Basic toBasic(ImagingSelection selection) {
        Basic basic = new Basic();
        basic.setId(selection.getIdPart());
        basic.getMeta().addProfile(PROFILE);
        selection.getIdentifier().forEach(i -> basic.addIdentifier((Identifier) r4(i)));
        // Basic.code: the xver slice says what the Basic carries; the selection's own code beside it, so that
        // Basic?code=<system>|<code> finds selections by their DICOM concept (decision D37)
        CodeableConcept code = basic.getCode();
        code.addCoding(new Coding(Xver.FHIR_TYPES, "ImagingSelection", "ImagingSelection"));
        if (selection.hasCode()) {
            ((CodeableConcept) r4(selection.getCode())).getCoding().forEach(code::addCoding);
        }
        if (selection.hasSubject()) {
            basic.setSubject((Reference) r4(selection.getSubject()));
        }
        if (selection.hasStatus()) {
            basic.addModifierExtension(ext("status", new CodeType(selection.getStatus().toCode())));
        }
        if (selection.hasIssued()) {
            basic.addExtension(ext("issued", new InstantType(selection.getIssuedElement().getValueAsString())));
        }
        for (ImagingSelection.ImagingSelectionPerformerComponent performer : selection.getPerformer()) {
            Extension e = basic.addExtension().setUrl(Xver.extension("ImagingSelection.performer"));
            if (performer.hasFunction()) {
                e.addExtension("function", r4(performer.getFunction()));
            }
            if (performer.hasActor()) {
                e.addExtension("actor", r4(performer.getActor()));
            }
        }
        selection.getBasedOn().forEach(r -> basic.addExtension(ext("basedOn", r4(r))));
        selection.getCategory().forEach(c -> basic.addExtension(ext("category", r4(c))));
        if (selection.hasCode()) {
            basic.addExtension(ext("code", r4(selection.getCode())));
        }
        if (selection.hasStudyUid()) {
            basic.addExtension(ext("studyUid", new IdType(selection.getStudyUid())));
        }
        selection.getDerivedFrom().forEach(r -> basic.addExtension(ext("derivedFrom", r4(r))));
        selection.getEndpoint().forEach(r -> basic.addExtension(ext("endpoint", r4(r))));
        if (selection.hasSeriesUid()) {
            basic.addExtension(ext("seriesUid", new IdType(selection.getSeriesUid())));
        }
        if (selection.hasSeriesNumber()) {
            basic.addExtension(ext("seriesNumber", new UnsignedIntType(selection.getSeriesNumber())));
        }
        if (selection.hasFrameOfReferenceUid()) {
            basic.addExtension(ext("frameOfReferenceUid", new IdType(selection.getFrameOfReferenceUid())));
        }
        if (selection.hasBodySite()) {
            // a CodeableReference has no R4 type: a complex extension naming its R5 type (xver rule)
            Extension e = basic.addExtension().setUrl(Xver.extension("ImagingSelection.bodySite"));
            e.addExtension(Xver.DATATYPE, new StringType("CodeableReference"));
            if (selection.getBodySite().hasConcept()) {
                e.addExtension("concept", r4(selection.getBodySite().getConcept()));
            }
            if (selection.getBodySite().hasReference()) {
                e.addExtension("reference", r4(selection.getBodySite().getReference()));
            }
        }
        selection.getFocus().forEach(r -> basic.addExtension(ext("focus", r4(r))));
        selection.getInstance().forEach(i -> basic.addExtension(instance(i)));
        // sr2fhir's own extensions (the 3D region of decision D18) keep their URL; their R4 definition has context Basic
        selection.getExtension().forEach(e -> basic.addExtension((Extension) r4Extension(e)));
        return basic;
    }

    private static Extension instance(ImagingSelection.ImagingSelectionInstanceComponent instance) {
        Extension e = new Extension(Xver.extension("ImagingSelection.instance"));
        if (instance.hasUid()) {
            e.addExtension("uid", new IdType(instance.getUid()));
        }
        if (instance.hasNumber()) {
            e.addExtension("number", new UnsignedIntType(instance.getNumber()));
        }
        if (instance.hasSopClass()) {
            e.addExtension("sopClass", r4(instance.getSopClass()));
        }
        instance.getSubset().forEach(s -> e.addExtension("subset", new StringType(s.getValue())));
        for (ImagingSelection.ImageRegion2DComponent region : instance.getImageRegion2D()) {
            Extension r = e.addExtension().setUrl("imageRegion2D");
            r.addExtension("regionType", new CodeType(region.getRegionType().toCode()));
            // one sub-extension per number (xver rule)
            region.getCoordinate().forEach(c -> r.addExtension("coordinate", new DecimalType(c.getValue())));
        }
        for (ImagingSelection.ImageRegion3DComponent region : instance.getImageRegion3D()) {
            Extension r = e.addExtension().setUrl("imageRegion3D");
            r.addExtension("regionType", new CodeType(region.getRegionType().toCode()));
            region.getCoordinate().forEach(c -> r.addExtension("coordinate", new DecimalType(c.getValue())));
        }
        return e;
    }

    private static Extension ext(String element, Type value) {
        return new Extension(Xver.extension("ImagingSelection." + element), value);
    }

    private static Type r4(org.hl7.fhir.r5.model.DataType value) {
        return VersionConvertorFactory_40_50.convertType(value);
    }

    private static Type r4Extension(org.hl7.fhir.r5.model.Extension extension) {
        return VersionConvertorFactory_40_50.convertType(extension);
    }
}
