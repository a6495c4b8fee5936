package org.sr2fhir.tid1500;

import org.sr2fhir.dicom.PersonName;
import org.sr2fhir.sr.CodedConcept;

/**
 * A person observer of the root observer context (TID 1002 / TID 1003): Person Observer Name (DCM 121008), the
 * Person Observer's Organization Name (121009) and Role in the Organization (121010), each null when absent
 * (decision D32). The name is patient-independent staff data; it is still never logged.
 */
public record PersonObserver(PersonName name, String organization, CodedConcept roleInOrganization) {
}
