package org.sr2fhir.route;

import java.util.List;
import org.sr2fhir.InputRejectedException;

/** A Bundle that fails the IG's profiles while {@code sr2fhir.validation.mode} is reject: it is not sent. */
public class IgValidationException extends InputRejectedException {
    private final List<String> issues;

    public IgValidationException(String source, String sopInstanceUid, List<String> issues) {
        super(source, sopInstanceUid, "the Bundle does not conform to the DICOM SR IG (" + issues.size()
                + " validation error" + (issues.size() == 1 ? "" : "s") + ", listed below); it was not sent");
        this.issues = List.copyOf(issues);
    }

    /** The validator's errors, one per line: profile, location, message. */
    public List<String> issues() {
        return issues;
    }
}
