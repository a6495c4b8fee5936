package org.sr2fhir.dicomweb;

/**
 * One SR instance as listed by QIDO-RS: the three UIDs that make its WADO-RS URL (PS3.18 10.4.1) and its SOP class.
 */
public record InstanceRef(String studyInstanceUid, String seriesInstanceUid, String sopInstanceUid,
                          String sopClassUid) {

    @Override
    public String toString() {
        return sopInstanceUid;
    }
}
