package org.sr2fhir.fhir;

import org.hl7.fhir.r5.model.Device;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.StringType;
import org.sr2fhir.sr.SrDocumentHeader;
import org.sr2fhir.tid1500.AlgorithmIdentification;
import org.sr2fhir.tid1500.DeviceObserver;

import java.util.Objects;

/**
 * Devices: dicom-general-equipment (General Equipment Module, PS3.3 C.7.5.1), algorithm-identification (TID 4019,
 * one per distinct algorithm in a report, decision D9) and dicom-participant-device (Participant Sequence item
 * with Observer Type DEV, or the content tree's device observer, D31).
 */
final class DeviceMapper {
    static final String EQUIPMENT_ROLE = "equipment";
    static final String ALGORITHM_ROLE = "algorithm";
    static final String PARTICIPANT_ROLE = "participant-device";

    private final CodingSchemes schemes;

    DeviceMapper(CodingSchemes schemes) {
        this.schemes = schemes;
    }

    MappedEntry equipment(EntryFactory entries, SrDocumentHeader.Equipment equipment) {
        Device device = new Device();
        device.getMeta().addProfile(Profiles.GENERAL_EQUIPMENT);
        if (equipment != null) {
            describe(device, equipment.manufacturer(), equipment.modelName(), equipment.deviceUid());
            if (equipment.deviceSerialNumber() != null) {
                device.setSerialNumber(equipment.deviceSerialNumber());
            }
        }
        return entries.entry(device, EQUIPMENT_ROLE, "");
    }

    MappedEntry participant(EntryFactory entries, SrDocumentHeader.Participant participant, String key) {
        Device device = new Device();
        device.getMeta().addProfile(Profiles.PARTICIPANT_DEVICE);
        describe(device, participant.manufacturer(), participant.modelName(), participant.deviceUid());
        return entries.entry(device, PARTICIPANT_ROLE, key);
    }

    /**
     * Decision D31: the device observer of the root observer context (TID 1004: the AI or tool that made the
     * findings) as a dicom-participant-device: Device Observer UID → identifier, Name → displayName, Manufacturer,
     * Model Name → modelNumber, Serial Number. It takes the participant device's place in D9.
     */
    MappedEntry observer(EntryFactory entries, DeviceObserver observer) {
        Device device = new Device();
        device.getMeta().addProfile(Profiles.PARTICIPANT_DEVICE);
        describe(device, observer.manufacturer(), observer.modelName(), observer.uid());
        if (observer.name() != null && !observer.name().isBlank()) {
            device.setDisplayName(observer.name());
        }
        if (observer.modelName() != null && !observer.modelName().isBlank()) {
            device.setModelNumber(observer.modelName());
        }
        if (observer.serialNumber() != null && !observer.serialNumber().isBlank()) {
            device.setSerialNumber(observer.serialNumber());
        }
        String key = observer.uid() != null ? observer.uid() : observer.name() + "|" + observer.manufacturer() + "|"
                + observer.modelName() + "|" + observer.serialNumber();
        return entries.entry(device, PARTICIPANT_ROLE, key);
    }

    /** Identity of an algorithm within one report (decision D9): name, version, family, parameters. */
    static String key(AlgorithmIdentification algorithm) {
        return algorithm.name() + "|" + Objects.toString(algorithm.version(), "") + "|"
                + (algorithm.family() == null ? "" : algorithm.family().designator() + ":" + algorithm.family().code())
                + "|" + String.join("\\", algorithm.parameters());
    }

    MappedEntry algorithm(EntryFactory entries, AlgorithmIdentification algorithm, String equipmentReference) {
        Device device = new Device();
        device.getMeta().addProfile(Profiles.ALGORITHM);
        device.setDisplayName(algorithm.name());
        if (algorithm.version() != null && !algorithm.version().isBlank()) {
            device.addVersion().setValue(algorithm.version());
        }
        if (algorithm.family() != null) {
            device.addType(schemes.concept(algorithm.family()));
        }
        for (String parameter : algorithm.parameters()) {
            device.addProperty().setType(Profiles.dcmConcept("111002", "Algorithm Parameters"))
                    .setValue(new StringType(parameter));
        }
        device.setParent(new Reference(equipmentReference));
        return entries.entry(device, ALGORITHM_ROLE, key(algorithm));
    }

    private static void describe(Device device, String manufacturer, String model, String deviceUid) {
        if (manufacturer != null && !manufacturer.isBlank()) {
            device.setManufacturer(manufacturer);
        }
        if (model != null && !model.isBlank()) {
            device.setDisplayName(model);
        }
        if (deviceUid != null && !deviceUid.isBlank()) {
            device.addIdentifier(new Identifier().setSystem(Profiles.DICOM_UID).setValue(Profiles.oid(deviceUid)));
        }
    }

}
