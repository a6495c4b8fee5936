package org.sr2fhir.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sr2fhir.cluster.DeadLetters;
import org.sr2fhir.config.Sr2FhirProperties;
import org.sr2fhir.dicomweb.DicomWebSource;
import org.sr2fhir.journal.JournalEntry;
import org.sr2fhir.journal.ReportJournal;
import org.sr2fhir.journal.ReportSource;
import org.sr2fhir.journal.ReportStatus;

/**
 * Sends a failed or rejected report again (REST API {@code POST /api/reports/{id}/resend}). An inbox report: its
 * {@code .error.txt} is deleted and the file moved from the error folder back to the inbox. A DICOMweb report: its
 * rejected mark is cleared in the checkpoint, so the next poll fetches it again. The journal row is marked first, so
 * the next pickup continues the same row. A report a Kafka worker dead-lettered (issue 15): its dead letter is sent
 * back to the inputs topic ({@link DeadLetters}, decision D83). Idempotent: asking again before the input is taken changes nothing; a
 * report in flight is refused.
 */
public class ReportResend {
    private static final Logger LOG = LoggerFactory.getLogger(ReportResend.class);

    /** What became of a resend request. */
    public enum Outcome {
        /** the input is back in its source */
        RESENT,
        /** a resend was already asked for and the input has not been taken yet */
        ALREADY_REQUESTED,
        /** the report is being converted or retried now */
        IN_FLIGHT,
        /** nothing to resend: delivered or skipped as a duplicate */
        NOT_FAILED,
        /** the inbox file is no longer in the error folder, or a file of that name waits in the inbox */
        FILE_NOT_MOVABLE,
        NOT_FOUND
    }

    public record Result(Outcome outcome, String message, JournalEntry entry) {
    }

    private final ReportJournal journal;
    private final Path inbox;
    private final Path errors;
    private final DicomWebSource dicomWeb;
    private final DeadLetters deadLetters;

    /** Standalone mode: no dead letters. */
    public ReportResend(ReportJournal journal, Sr2FhirProperties properties, DicomWebSource dicomWeb) {
        this(journal, properties, dicomWeb, null);
    }

    /** {@code deadLetters}: the Kafka cluster's dead-letter topic, or null in standalone mode. */
    public ReportResend(ReportJournal journal, Sr2FhirProperties properties, DicomWebSource dicomWeb,
                        DeadLetters deadLetters) {
        this.journal = journal;
        this.inbox = Path.of(properties.inbox().dir());
        this.errors = Path.of(properties.inbox().errorDir());
        this.dicomWeb = dicomWeb;
        this.deadLetters = deadLetters;
    }

    public synchronized Result resend(long id) {
        Optional<JournalEntry> found = journal.find(id);
        if (found.isEmpty()) {
            return new Result(Outcome.NOT_FOUND, "no report " + id + " in the journal", null);
        }
        JournalEntry entry = found.get();
        if (entry.resendRequested()) {
            return new Result(Outcome.ALREADY_REQUESTED, "a resend of " + entry.sourceName() + " is already waiting", entry);
        }
        if (ReportStatus.IN_FLIGHT.contains(entry.status())) {
            return new Result(Outcome.IN_FLIGHT, entry.sourceName() + " is in flight (" + entry.status().code() + ")", entry);
        }
        if (!ReportStatus.RESENDABLE.contains(entry.status())) {
            return new Result(Outcome.NOT_FAILED, entry.sourceName() + " was " + entry.status().code()
                    + ": only rejected or failed reports are resent", entry);
        }
        return switch (entry.source()) {
            case INBOX -> resendFile(entry);
            case DICOMWEB -> resendInstance(entry);
            case KAFKA -> resendDeadLetter(entry);
        };
    }

    private Result resendDeadLetter(JournalEntry entry) {
        if (deadLetters == null || entry.kafkaRecord() == null) {
            return new Result(Outcome.FILE_NOT_MOVABLE, entry.sourceName() + " has no dead letter to send again"
                    + (deadLetters == null ? " (sr2fhir.cluster.mode is not kafka)" : ""), entry);
        }
        if (!journal.requestResend(entry.id())) {
            return resend(entry.id());
        }
        RecordMetadata resent;
        try {
            resent = deadLetters.resend(entry.kafkaRecord());
        } catch (RuntimeException e) {
            journal.cancelResend(entry.id());
            throw e;
        }
        String position = resent.topic() + "-" + resent.partition() + "@" + resent.offset();
        LOG.info("resend of {} (journal {}): dead letter {} sent again as {}", entry.sourceName(), entry.id(),
                entry.kafkaRecord(), position);
        return new Result(Outcome.RESENT, entry.sourceName() + " sent again to the inputs topic as " + position,
                journal.find(entry.id()).orElse(entry));
    }

    private Result resendFile(JournalEntry entry) {
        Path file = errors.resolve(entry.sourceName()).normalize();
        Path target = inbox.resolve(entry.sourceName()).normalize();
        if (!file.getParent().equals(errors.normalize()) || !Files.isRegularFile(file)) {
            return new Result(Outcome.FILE_NOT_MOVABLE, entry.sourceName() + " is no longer in the error folder", entry);
        }
        if (Files.exists(target)) {
            return new Result(Outcome.FILE_NOT_MOVABLE, "a file named " + entry.sourceName() + " waits in the inbox", entry);
        }
        if (!journal.requestResend(entry.id())) {
            return resend(entry.id());
        }
        try {
            // the reason goes first: the file may be taken (and fail again) as soon as it is in the inbox
            Files.deleteIfExists(errors.resolve(entry.sourceName() + ".error.txt"));
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            journal.cancelResend(entry.id());
            throw new UncheckedIOException("cannot move " + file + " back to the inbox", e);
        }
        LOG.info("resend of {} (journal {}): moved from the error folder back to the inbox", entry.sourceName(), entry.id());
        return new Result(Outcome.RESENT, entry.sourceName() + " moved back to the inbox", journal.find(entry.id()).orElse(entry));
    }

    private Result resendInstance(JournalEntry entry) {
        if (!journal.requestResend(entry.id())) {
            return resend(entry.id());
        }
        dicomWeb.checkpoint().clearRejected(entry.sourceName());
        LOG.info("resend of DICOMweb SR {} (journal {}): fetched again at the next poll", entry.sourceName(), entry.id());
        return new Result(Outcome.RESENT, "SR " + entry.sourceName() + " is fetched again at the next poll",
                journal.find(entry.id()).orElse(entry));
    }

    /** The text of an inbox report's {@code .error.txt}, while it is in the error folder. */
    public Optional<String> errorText(JournalEntry entry) {
        if (entry.source() != ReportSource.INBOX) {
            return Optional.empty();
        }
        Path text = errors.resolve(entry.sourceName() + ".error.txt").normalize();
        if (!text.getParent().equals(errors.normalize()) || !Files.isRegularFile(text)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(text));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
