package org.sr2fhir.tid1500;

/**
 * The device observer of the root observer context (TID 1002 / TID 1004), e.g. the AI that made the findings: Device
 * Observer UID (DCM 121012), Name (121013), Manufacturer (121014), Model Name (121015) and Serial Number (121016),
 * each null when absent (decision D31).
 */
public record DeviceObserver(String uid, String name, String manufacturer, String modelName, String serialNumber) {
}
