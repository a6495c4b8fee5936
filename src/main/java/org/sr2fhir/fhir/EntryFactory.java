package org.sr2fhir.fhir;

import org.hl7.fhir.r5.model.BodyStructure;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Device;
import org.hl7.fhir.r5.model.DiagnosticReport;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.ImagingSelection;
import org.hl7.fhir.r5.model.Observation;
import org.hl7.fhir.r5.model.Organization;
import org.hl7.fhir.r5.model.Practitioner;
import org.hl7.fhir.r5.model.PractitionerRole;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.Resource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Gives every created resource its identity (decision D5): a deterministic id = a short SHA-256 hash of
 * SR SOP Instance UID + role + key (content item path, algorithm or tracking identity), prefixed with the role so
 * it is never purely numeric, and a urn:uuid fullUrl derived from the same key. With
 * {@link MappingSettings.IdStrategy#DETERMINISTIC} the entry is a PUT Type/id (update-as-create); with
 * {@link MappingSettings.IdStrategy#CONDITIONAL_CREATE} a POST with ifNoneExist on a resource-key identifier.
 */
final class EntryFactory {
    /** Identifier system of the resource key used by conditional creates (D5 alternative). */
    static final String RESOURCE_KEY_SYSTEM = "urn:sr2fhir:resource-key";

    private final String sopInstanceUid;
    private final MappingSettings.IdStrategy strategy;

    EntryFactory(String sopInstanceUid, MappingSettings.IdStrategy strategy) {
        this.sopInstanceUid = sopInstanceUid;
        this.strategy = strategy;
    }

    /** The deterministic id of the resource playing {@code role} for {@code key} in this SR. */
    String id(String role, String key) {
        return role + "-" + hash(sopInstanceUid + "|" + role + "|" + key).substring(0, 24);
    }

    /** The fullUrl of that resource (a name-based UUID of the same key). */
    String fullUrl(String role, String key) {
        return "urn:uuid:" + UUID.nameUUIDFromBytes((sopInstanceUid + "|" + role + "|" + key)
                .getBytes(StandardCharsets.UTF_8));
    }

    Reference reference(String role, String key) {
        return new Reference(fullUrl(role, key));
    }

    /** Sets the identity of {@code resource} and wraps it as an entry. */
    MappedEntry entry(Resource resource, String role, String key) {
        String type = resource.fhirType();
        String id = id(role, key);
        String fullUrl = fullUrl(role, key);
        if (strategy == MappingSettings.IdStrategy.DETERMINISTIC) {
            resource.setId(id);
            return new MappedEntry(resource, fullUrl, type + "/" + id, Bundle.HTTPVerb.PUT, type + "/" + id, null);
        }
        // a DICOM UID the resource already carries (Device UID, Tracking UID, the SR's SOP Instance UID) is its
        // natural key; profiles such as dicom-general-equipment allow a single identifier
        Identifier natural = dicomUid(resource);
        String search;
        if (natural != null) {
            search = "identifier=" + Profiles.DICOM_UID + "|" + natural.getValue();
        } else {
            addKeyIdentifier(resource, new Identifier().setSystem(RESOURCE_KEY_SYSTEM).setValue(id));
            search = "identifier=" + RESOURCE_KEY_SYSTEM + "|" + id;
        }
        return new MappedEntry(resource, fullUrl, type + "?" + search, Bundle.HTTPVerb.POST, type, search);
    }

    private static Identifier dicomUid(Resource resource) {
        List<Identifier> identifiers = resource instanceof Device d ? d.getIdentifier()
                : resource instanceof BodyStructure b ? b.getIdentifier()
                : resource instanceof DiagnosticReport r ? r.getIdentifier() : List.of();
        return identifiers.stream().filter(i -> Profiles.DICOM_UID.equals(i.getSystem())).findFirst().orElse(null);
    }

    private static void addKeyIdentifier(Resource resource, Identifier identifier) {
        if (resource instanceof Observation r) {
            r.addIdentifier(identifier);
        } else if (resource instanceof ImagingSelection r) {
            r.addIdentifier(identifier);
        } else if (resource instanceof Device r) {
            r.addIdentifier(identifier);
        } else if (resource instanceof BodyStructure r) {
            r.addIdentifier(identifier);
        } else if (resource instanceof Practitioner r) {
            r.addIdentifier(identifier);
        } else if (resource instanceof DiagnosticReport r) {
            r.addIdentifier(identifier);
        } else if (resource instanceof Organization r) {
            r.addIdentifier(identifier);
        } else if (resource instanceof PractitionerRole r) {
            r.addIdentifier(identifier);
        } else {
            throw new IllegalArgumentException("no resource key identifier for " + resource.fhirType());
        }
    }

    private static String hash(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
