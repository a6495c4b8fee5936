package org.sr2fhir.fhir;

import org.hl7.fhir.r5.model.HumanName;
import org.hl7.fhir.r5.model.Practitioner;
import org.sr2fhir.dicom.PersonName;

import java.util.List;

/**
 * dicom-participant-person: a person observer (TID 1002 Person Observer Name, DCM 121008) or a Participant
 * Sequence PSN item. PN components (family^given^middle^prefix^suffix) map to HumanName parts.
 */
final class PractitionerMapper {
    static final String ROLE = "practitioner";

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
}
