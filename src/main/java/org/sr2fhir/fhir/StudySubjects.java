package org.sr2fhir.fhir;

import java.util.List;

/**
 * Decision D26: the Patient that the FHIR server's ImagingStudy for a Study Instance UID names, for a report whose
 * Patient ID is empty. The mapping asks; the implementation searches the server (one search per study, cached), so
 * this side stays plain Java. A server failure propagates as the FHIR client's exception and is retried like any
 * other transient failure.
 */
public interface StudySubjects {

    /** What the server holds for {@code studyInstanceUid}. */
    Answer find(String studyInstanceUid);

    /** The answer of one look-up. */
    sealed interface Answer permits Found, NoStudy, NoPatient, Ambiguous {
    }

    /** The studies name one Patient: {@code patientReference} is its literal reference, e.g. "Patient/123". */
    record Found(String patientReference) implements Answer {
    }

    /** The server has no ImagingStudy with this Study Instance UID (yet). */
    record NoStudy() implements Answer {
    }

    /** The ImagingStudy names no subject, or one that is not a Patient ({@code subject} is then its reference). */
    record NoPatient(String subject) implements Answer {
    }

    /** Several ImagingStudies with this UID name different subjects. */
    record Ambiguous(List<String> subjects) implements Answer {
        public Ambiguous {
            subjects = List.copyOf(subjects);
        }
    }
}
