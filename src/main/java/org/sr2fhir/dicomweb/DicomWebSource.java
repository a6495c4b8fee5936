package org.sr2fhir.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.config.DicomWebProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DICOMweb source's logic, free of Camel: which SR instances are new, fetching one, and remembering the
 * outcome. New = listed by QIDO-RS and neither delivered nor rejected according to the {@link CheckpointStore}.
 * A rejected SR is recorded with its reason and never blocks the others; a transient failure aborts the poll,
 * records nothing for the instance in hand and pauses polling ({@link PollBackoff}). Nothing is ever deleted
 * from the archive: the source only sends GET requests. Thread-safe: a poll's SRs may run at once (decision D62).
 */
public final class DicomWebSource {
    private static final Logger LOG = LoggerFactory.getLogger(DicomWebSource.class);

    private final DicomWebProperties settings;
    private final PollBackoff backoff;
    private final Clock clock;
    private final Map<String, Integer> unexpectedFailures = new ConcurrentHashMap<>();
    private final DicomWebClient client;
    private CheckpointStore checkpoint;
    private volatile Instant caughtUpAt;
    /** This poll met an outage: its SRs not yet started stay for the next poll (guarded by this). */
    private boolean pollAborted;

    /** {@code transport} sends the GET requests; nothing is sent before the first poll. */
    public DicomWebSource(DicomWebProperties settings, DicomWebClient.Transport transport, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.client = new DicomWebClient(settings, transport);
        this.backoff = new PollBackoff(settings.pollInterval(), settings.maxBackoff(), clock);
    }

    /**
     * The SR instances to process in this poll, in archive order; empty while backing off.
     *
     * @throws PollAbortedException when the archive cannot be listed (polling then backs off)
     */
    public List<InstanceRef> listNewInstances() throws PollAbortedException {
        if (!backoff.ready()) {
            LOG.debug("DICOMweb poll skipped: backing off until {}", backoff.resumeAt());
            return List.of();
        }
        Instant pollStart = clock.instant();
        synchronized (this) {
            pollAborted = false;
        }
        CheckpointStore store = checkpoint();
        LocalDate studyDateFrom = studyDateFrom(store);
        List<InstanceRef> fresh = new ArrayList<>();
        int listed = 0;
        try {
            for (String sopClass : settings.sopClasses()) {
                for (InstanceRef ref : client.searchInstances(sopClass, studyDateFrom)) {
                    listed++;
                    if (!store.isSettled(ref.sopInstanceUid())) {
                        fresh.add(ref);
                    }
                }
            }
        } catch (IOException e) {
            throw abort("listing the archive", e);
        }
        if (fresh.isEmpty()) {
            caughtUpAt = pollStart;
            backoff.succeeded();
            advanceWatermark(store, pollStart);
            LOG.debug("DICOMweb poll: {} SR instances listed, none new", listed);
        } else {
            LOG.info("DICOMweb poll: {} SR instances listed, {} new", listed, fresh.size());
        }
        return fresh;
    }

    /**
     * Whether the poll goes on with its next SR: not once one of its SRs met an outage. The SRs already in flight
     * end on their own; those not started are fetched by the next poll, after the back-off pause.
     */
    public synchronized boolean pollGoesOn() {
        return !pollAborted;
    }

    /** The WADO-RS request for one instance in the configured fetch-mode. */
    public DicomWebClient.Retrieval retrieval(InstanceRef ref) {
        return client.retrieval(ref);
    }

    /**
     * Reads the WADO-RS answer to {@code retrieval} into the bytes for the reader, labelled with the SOP Instance UID
     * and the representation's file extension.
     *
     * @throws IOException when the answer does not hold what was asked for (see {@link #fetchFailed})
     */
    public RetrievedInstance retrieved(InstanceRef ref, DicomWebClient.Retrieval retrieval, String contentType,
                                       InputStream body) throws IOException {
        String extension = switch (retrieval.mode()) {
            case PART10 -> ".dcm";
            case JSON -> ".json";
        };
        return new RetrievedInstance(ref, client.unpack(retrieval, contentType, body),
                ref.sopInstanceUid() + extension);
    }

    /**
     * Sorts a failed WADO-RS fetch; always throws.
     *
     * @throws InputRejectedException when the archive no longer has the instance (HTTP 404/410): recorded as
     *                                rejected by the caller, never fetched again
     * @throws PollAbortedException   on any other failure (archive unreachable, other status, unreadable answer)
     */
    public void fetchFailed(InstanceRef ref, IOException cause) throws InputRejectedException, PollAbortedException {
        if (cause instanceof DicomWebException e && (e.status() == 404 || e.status() == 410)) {
            throw new InputRejectedException("DICOMweb", ref.sopInstanceUid(),
                    "listed by QIDO-RS but no longer in the archive (WADO-RS HTTP " + e.status() + ")", e);
        }
        throw abort("fetching " + ref.sopInstanceUid(), cause);
    }

    /** The SR reached the FHIR server: never fetch it again. */
    public void delivered(InstanceRef ref) {
        checkpoint().recordDelivered(ref.sopInstanceUid());
        unexpectedFailures.remove(ref.sopInstanceUid());
        synchronized (this) {
            // an SR that was in flight when another met the outage does not cancel the poll's back-off
            if (!pollAborted) {
                backoff.succeeded();
            }
        }
    }

    /**
     * The SR failed with an unexpected error (not an outage, not a rejection): it is left pending for the next
     * poll, and recorded as rejected once it has failed in {@code max-attempts} polls, so one bad SR never blocks
     * the others nor is retried forever.
     *
     * @return true when this failure was the last attempt and the SR is now recorded as rejected
     */
    public boolean failedUnexpectedly(InstanceRef ref, String reason) {
        int attempts = unexpectedFailures.merge(ref.sopInstanceUid(), 1, Integer::sum);
        if (attempts >= settings.maxAttempts()) {
            unexpectedFailures.remove(ref.sopInstanceUid());
            rejected(ref, "failed in " + attempts + " polls, last: " + reason);
            return true;
        }
        LOG.warn("DICOMweb SR {} failed (attempt {} of {}), tried again in the next poll: {}",
                ref.sopInstanceUid(), attempts, settings.maxAttempts(), reason);
        return false;
    }

    /** The SR can never be converted: remember why and move on to the others. */
    public void rejected(InstanceRef ref, String reason) {
        LOG.warn("DICOMweb SR {} rejected: {}", ref.sopInstanceUid(), reason);
        checkpoint().recordRejected(ref.sopInstanceUid(), reason);
    }

    /**
     * Turns a transient failure into an aborted poll: nothing is recorded for the instance in hand, the poll starts
     * no further SR, and polling pauses for the back-off time before it tries again. SRs in flight together may
     * meet the same outage: the poll counts as one failure.
     */
    public PollAbortedException abort(String doing, Throwable cause) {
        Duration pause;
        synchronized (this) {
            pause = pollAborted ? Duration.between(clock.instant(), backoff.resumeAt()) : backoff.failed();
            pollAborted = true;
        }
        String message = "DICOMweb poll aborted while " + doing + " (" + describe(cause) + "); failure "
                + backoff.consecutiveFailures() + " in a row, next poll in "
                + String.format(Locale.ROOT, "%.1f s", pause.toMillis() / 1000.0);
        LOG.warn(message);
        return new PollAbortedException(message, cause);
    }

    /**
     * How far behind the archive the source may be: the time since the start of the last poll that found nothing
     * new (everything listed was delivered or rejected); empty before the first such poll.
     */
    public Optional<Duration> lag() {
        Instant at = caughtUpAt;
        return at == null ? Optional.empty() : Optional.of(Duration.between(at, clock.instant()));
    }

    public PollBackoff backoff() {
        return backoff;
    }

    /** The checkpoint, opened on first use so a disabled source never touches the disk. */
    public synchronized CheckpointStore checkpoint() {
        if (checkpoint == null) {
            try {
                checkpoint = new CheckpointStore(settings.checkpointFile());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the DICOMweb checkpoint " + settings.checkpointFile(), e);
            }
        }
        return checkpoint;
    }

    /** Closes the checkpoint journal (on shutdown). */
    public synchronized void close() throws IOException {
        if (checkpoint != null) {
            checkpoint.close();
            checkpoint = null;
        }
    }

    private LocalDate studyDateFrom(CheckpointStore store) {
        if (settings.studyDateLookback() == null) {
            return null;
        }
        return store.watermark()
                .map(w -> LocalDate.ofInstant(w, ZoneId.systemDefault()).minus(settings.studyDateLookback()))
                .orElse(null);
    }

    /** The watermark moves only when a poll left nothing to do, so a pending SR never falls out of the window. */
    private void advanceWatermark(CheckpointStore store, Instant pollStart) {
        if (settings.studyDateLookback() == null) {
            return;
        }
        LocalDate today = LocalDate.ofInstant(pollStart, ZoneId.systemDefault());
        boolean newDay = store.watermark()
                .map(w -> LocalDate.ofInstant(w, ZoneId.systemDefault()).isBefore(today))
                .orElse(true);
        if (newDay) {
            store.recordWatermark(pollStart);
        }
    }

    private static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
