package org.sr2fhir.fhir;

import org.hl7.fhir.r5.model.HumanName;
import org.hl7.fhir.r5.model.Organization;
import org.hl7.fhir.r5.model.Practitioner;
import org.hl7.fhir.r5.model.PractitionerRole;
import org.hl7.fhir.r5.model.Reference;
import org.sr2fhir.dicom.PersonName;
import org.sr2fhir.tid1500.PersonObserver;

import java.util.List;

/**
 * dicom-participant-person: a person observer (TID 1002 Person Observer Name, DCM 121008) or a Participant
 * Sequence PSN item. PN components (family^given^middle^prefix^suffix) map to HumanName parts. A person observer's
 * organization becomes an Organization and a PractitionerRole linking the two (decision D32).
 */
final class PractitionerMapper {
    static final String ROLE = "practitioner";
    static final String ORGANIZATION_ROLE = "organization";
    static final String PRACTITIONER_ROLE_ROLE = "practitioner-role";

    private final CodingSchemes schemes;

    PractitionerMapper(CodingSchemes schemes) {
        this.schemes = schemes;
    }

    MappedEntry practitioner(EntryFactory entries, PersonName name) {
        Practitioner practitioner = new Practitioner();
        practitioner.getMeta().addProfile(Profiles.PARTICIPANT_PERSON);
        List<String> parts = PersonName.components(name.preferredGroup());
        HumanName human = practitioner.addName();
        if (!parts.get(0).isEmpty()) {
            human.setFamily(parts.get(0));
        }
        if (!parts.get(1).isEmpty()) {
            human.addGiven(parts.get(1));
        }
        if (!parts.get(2).isEmpty()) {
            human.addGiven(parts.get(2));
        }
        if (!parts.get(3).isEmpty()) {
            human.addPrefix(parts.get(3));
        }
        if (!parts.get(4).isEmpty()) {
            human.addSuffix(parts.get(4));
        }
        if (!name.alphabetic().isEmpty() && human.isEmpty()) {
            human.setText(name.alphabetic());
        }
        return entries.entry(practitioner, ROLE, name.toDicomString());
    }

    /**
     * Decision D32: Person Observer's Organization Name (DCM 121009) → Organization.name, and a PractitionerRole naming
     * the Practitioner, the Organization and the Person Observer's Role in the Organization (121010) as its code. The
     * Observations name the PractitionerRole as a performer beside the Practitioner. Empty when the observer names no
     * organization.
     */
    List<MappedEntry> organization(EntryFactory entries, String practitionerFullUrl, PersonObserver observer) {
        if (observer.organization() == null || observer.organization().isBlank()) {
            return List.of();
        }
        MappedEntry organization = entries.entry(new Organization().setName(observer.organization()),
                ORGANIZATION_ROLE, observer.organization());
        PractitionerRole role = new PractitionerRole();
        role.setPractitioner(new Reference(practitionerFullUrl));
        role.setOrganization(new Reference(organization.fullUrl()));
        if (observer.roleInOrganization() != null) {
            role.addCode(schemes.concept(observer.roleInOrganization()));
        }
        String key = observer.name().toDicomString() + "|" + observer.organization() + "|"
                + (observer.roleInOrganization() == null ? "" : observer.roleInOrganization().designator() + ":"
                + observer.roleInOrganization().code());
        return List.of(organization, entries.entry(role, PRACTITIONER_ROLE_ROLE, key));
    }
}
