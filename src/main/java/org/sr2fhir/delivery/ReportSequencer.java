package org.sr2fhir.delivery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.commons.codec.digest.DigestUtils;
import org.sr2fhir.dicom.DicomDataset;
import org.sr2fhir.dicom.Tag;

/**
 * Decision D58: the reports that must not be in flight together take turns, in arrival order; the others do not wait.
 * A report's keys name what it writes that another report may write too: its study (the ImagingStudy, and the order
 * of one study's reports), and with sr2fhir.linking.create-missing also its patient and accession number, whose
 * Patient and ServiceRequest are conditional creates that collide when two transactions make them at once (stack.md
 * §3). A {@link Ticket}, taken in arrival order, has its turn once every earlier ticket sharing one of its keys was
 * released. Thread-safe; plain Java (the Camel steps are {@link ReportTurns}).
 */
public final class ReportSequencer {
    /** key → the release of the latest ticket holding it; a key leaves once its latest ticket was released. */
    private final Map<String, CompletableFuture<Void>> latest = new HashMap<>();

    /**
     * The keys of a report from its dataset: "study:" + the Study Instance UID, and with {@code createMissing} the
     * patient (Issuer of Patient ID and Patient ID) and the accession number, hashed (SHA-256) so that no key held in
     * memory or shown in a message carries them. A report without a value for a key does not take it: one without a
     * Study Instance UID is refused by the pipeline and needs no turn.
     */
    public static Set<String> keysOf(DicomDataset dataset, boolean createMissing) {
        Set<String> keys = new LinkedHashSet<>();
        String study = text(dataset, Tag.StudyInstanceUID);
        if (study != null) {
            keys.add(studyKey(study));
        }
        if (createMissing) {
            String patientId = text(dataset, Tag.PatientID);
            if (patientId != null) {
                String issuer = text(dataset, Tag.IssuerOfPatientID);
                keys.add("patient:" + DigestUtils.sha256Hex((issuer == null ? "" : issuer) + '\u0000' + patientId));
            }
            String accession = text(dataset, Tag.AccessionNumber);
            if (accession != null) {
                keys.add("accession:" + DigestUtils.sha256Hex(accession));
            }
        }
        return keys;
    }

    /** The key of a study's reports, for a source that knows the study without reading the report (DICOMweb, D62). */
    public static String studyKey(String studyInstanceUid) {
        return "study:" + studyInstanceUid;
    }

    /** The next place in line for a report holding {@code keys}; call in arrival order. */
    public synchronized Ticket take(Collection<String> keys) {
        Ticket ticket = new Ticket(keys);
        List<CompletableFuture<Void>> earlier = new ArrayList<>();
        for (String key : ticket.keys) {
            CompletableFuture<Void> previous = latest.put(key, ticket.released);
            if (previous != null) {
                earlier.add(previous);
            }
        }
        ticket.turn = CompletableFuture.allOf(earlier.toArray(CompletableFuture[]::new));
        return ticket;
    }

    /** How many keys have a ticket not yet released (0 once every report ended). */
    public synchronized int heldKeys() {
        return latest.size();
    }

    private synchronized void forget(Ticket ticket) {
        for (String key : ticket.keys) {
            latest.remove(key, ticket.released);
        }
    }

    /** One report's place in line. */
    public final class Ticket {
        private final Set<String> keys;
        private final CompletableFuture<Void> released = new CompletableFuture<>();
        private CompletableFuture<Void> turn;

        private Ticket(Collection<String> keys) {
            this.keys = Set.copyOf(keys);
        }

        /** Whether every earlier ticket sharing a key was released. */
        public boolean hasTurn() {
            return turn.isDone();
        }

        /** Waits until {@link #hasTurn()}. */
        public void awaitTurn() throws InterruptedException {
            try {
                turn.get();
            } catch (ExecutionException never) {
                // releases complete normally only
                throw new IllegalStateException(never);
            }
        }

        /** The report ended (delivered or failed): the next ticket of each key may go. Calling it again does nothing. */
        public void release() {
            forget(this);
            released.complete(null);
        }
    }

    private static String text(DicomDataset dataset, int tag) {
        try {
            String value = dataset.getString(tag);
            return value == null || value.isBlank() ? null : value.strip();
        } catch (RuntimeException notText) {
            // a hostile input's wrong VR: the pipeline refuses it with its reason
            return null;
        }
    }
}
