package org.sr2fhir.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sr2fhir.config.DicomWebProperties;
import org.sr2fhir.config.Sr2FhirProperties;
import org.sr2fhir.dicomweb.DicomWebSource;
import org.sr2fhir.journal.Delivery;
import org.sr2fhir.journal.Failure;
import org.sr2fhir.journal.ReportJournal;
import org.sr2fhir.journal.ReportSource;
import org.sr2fhir.journal.ReportStatus;
import org.sr2fhir.journal.TestJournals;

/** Resending puts the input back in its source once, and refuses what is in flight or done. */
class ReportResendTest {
    @TempDir
    Path work;

    private final ReportJournal journal = TestJournals.inMemory();
    private DicomWebSource dicomWeb;

    private ReportResend resend() {
        Sr2FhirProperties properties = new Sr2FhirProperties(null,
                new Sr2FhirProperties.Inbox(work.resolve("inbox").toString(), work.resolve("done").toString(),
                        work.resolve("error").toString()), null, null, null, null, null, null);
        DicomWebProperties settings = new DicomWebProperties(false, null, new DicomWebProperties.Auth(
                DicomWebProperties.AuthType.NONE, null, null, null), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), 10, List.of("1.2.840.10008.5.1.4.1.1.88.22"),
                DicomWebProperties.FetchMode.PART10, null, work.resolve("checkpoint.jsonl"), 3);
        dicomWeb = new DicomWebSource(settings, (resource, accept) -> {
            throw new AssertionError("no request expected");
        }, Clock.systemUTC());
        return new ReportResend(journal, properties, dicomWeb);
    }

    @AfterEach
    void closeCheckpoint() throws Exception {
        dicomWeb.close();
    }

    @Test
    void aRejectedInboxFileGoesBackToTheInboxWithoutItsReasonOnce() throws Exception {
        ReportResend resend = resend();
        Files.createDirectories(work.resolve("inbox"));
        Files.createDirectories(work.resolve("error"));
        Files.writeString(work.resolve("error/bad.dcm"), "fixed content");
        Files.writeString(work.resolve("error/bad.dcm.error.txt"), "bad.dcm: not DICOM\n");
        long id = rejected(ReportSource.INBOX, "bad.dcm");
        assertThat(resend.errorText(journal.find(id).orElseThrow())).contains("bad.dcm: not DICOM\n");

        assertThat(resend.resend(id).outcome()).isEqualTo(ReportResend.Outcome.RESENT);
        assertThat(work.resolve("inbox/bad.dcm")).hasContent("fixed content");
        assertThat(work.resolve("error/bad.dcm")).doesNotExist();
        assertThat(work.resolve("error/bad.dcm.error.txt")).doesNotExist();
        assertThat(resend.resend(id).outcome()).isEqualTo(ReportResend.Outcome.ALREADY_REQUESTED);
        assertThat(work.resolve("inbox/bad.dcm")).hasContent("fixed content");

        journal.received(ReportSource.INBOX, "bad.dcm", null);
        assertThat(resend.resend(id).outcome()).isEqualTo(ReportResend.Outcome.IN_FLIGHT);
    }

    @Test
    void refusesWhatIsDoneGoneOrWouldOverwriteTheInbox() throws Exception {
        ReportResend resend = resend();
        long delivered = journal.received(ReportSource.INBOX, "ok.dcm", null);
        journal.delivered(delivered, new Delivery(null, null, "201 Created x1", 1, "", null, null));
        assertThat(resend.resend(delivered).outcome()).isEqualTo(ReportResend.Outcome.NOT_FAILED);
        assertThat(resend.resend(12345).outcome()).isEqualTo(ReportResend.Outcome.NOT_FOUND);

        long gone = rejected(ReportSource.INBOX, "gone.dcm");
        assertThat(resend.resend(gone).outcome()).isEqualTo(ReportResend.Outcome.FILE_NOT_MOVABLE);
        assertThat(journal.find(gone).orElseThrow().resendRequested()).isFalse();

        Files.createDirectories(work.resolve("inbox"));
        Files.createDirectories(work.resolve("error"));
        Files.writeString(work.resolve("error/twice.dcm"), "old");
        Files.writeString(work.resolve("inbox/twice.dcm"), "new");
        long twice = rejected(ReportSource.INBOX, "twice.dcm");
        assertThat(resend.resend(twice).outcome()).isEqualTo(ReportResend.Outcome.FILE_NOT_MOVABLE);
        assertThat(work.resolve("inbox/twice.dcm")).hasContent("new");
        assertThat(work.resolve("error/twice.dcm")).hasContent("old");

        // a name that would leave the error folder is never followed
        long escaping = rejected(ReportSource.INBOX, "../inbox/twice.dcm");
        assertThat(resend.resend(escaping).outcome()).isEqualTo(ReportResend.Outcome.FILE_NOT_MOVABLE);
    }

    @Test
    void aRejectedDicomWebSrIsFetchedAgain() {
        ReportResend resend = resend();
        dicomWeb.checkpoint().recordRejected("1.2.3", "Basic Text SR, not a TID 1500 measurement report");
        long id = rejected(ReportSource.DICOMWEB, "1.2.3");

        assertThat(resend.resend(id).outcome()).isEqualTo(ReportResend.Outcome.RESENT);
        assertThat(dicomWeb.checkpoint().isSettled("1.2.3")).isFalse();
        assertThat(resend.resend(id).outcome()).isEqualTo(ReportResend.Outcome.ALREADY_REQUESTED);
    }

    private long rejected(ReportSource source, String name) {
        long id = journal.received(source, name, null);
        journal.failed(id, new Failure(ReportStatus.REJECTED, null, null, name + ": not DICOM", null));
        return id;
    }
}
