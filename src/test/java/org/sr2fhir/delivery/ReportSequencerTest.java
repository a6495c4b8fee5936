package org.sr2fhir.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.sr2fhir.dicom.DicomDataset;
import org.sr2fhir.dicom.DicomReader;

class ReportSequencerTest {
    private final ReportSequencer sequencer = new ReportSequencer();

    @Test
    void oneKeysReportsTakeTurnsInArrivalOrder() {
        ReportSequencer.Ticket first = sequencer.take(Set.of("study:1"));
        ReportSequencer.Ticket second = sequencer.take(Set.of("study:1"));
        ReportSequencer.Ticket third = sequencer.take(Set.of("study:1"));
        assertThat(first.hasTurn()).isTrue();
        assertThat(second.hasTurn()).isFalse();
        first.release();
        assertThat(second.hasTurn()).isTrue();
        assertThat(third.hasTurn()).isFalse();
        second.release();
        assertThat(third.hasTurn()).isTrue();
        third.release();
        assertThat(sequencer.heldKeys()).isZero();
    }

    @Test
    void reportsSharingNoKeyDoNotWaitForEachOther() {
        ReportSequencer.Ticket a = sequencer.take(Set.of("study:1"));
        ReportSequencer.Ticket b = sequencer.take(Set.of("study:2"));
        ReportSequencer.Ticket unread = sequencer.take(Set.of());
        assertThat(a.hasTurn()).isTrue();
        assertThat(b.hasTurn()).isTrue();
        assertThat(unread.hasTurn()).isTrue();
    }

    @Test
    void aReportWaitsForEveryEarlierOneSharingAnyOfItsKeys() {
        // create-missing: one patient's reports of two studies, then a report of both
        ReportSequencer.Ticket studyOne = sequencer.take(Set.of("study:1", "patient:p"));
        ReportSequencer.Ticket studyTwo = sequencer.take(Set.of("study:2", "patient:p"));
        ReportSequencer.Ticket other = sequencer.take(Set.of("study:3", "patient:q"));
        assertThat(studyTwo.hasTurn()).isFalse();
        assertThat(other.hasTurn()).isTrue();
        studyOne.release();
        assertThat(studyTwo.hasTurn()).isTrue();
    }

    @Test
    void aReleaseTwiceIsHarmlessAndAReleasedTicketHoldsNothing() {
        ReportSequencer.Ticket first = sequencer.take(Set.of("study:1"));
        first.release();
        first.release();
        assertThat(sequencer.heldKeys()).isZero();
        assertThat(sequencer.take(Set.of("study:1")).hasTurn()).isTrue();
    }

    @Test
    void keysAreTheStudyAndWithCreateMissingThePatientAndAccessionHashed() throws Exception {
        DicomDataset report = dataset("1.2.3", "PAT-77", "ACC-9");
        assertThat(ReportSequencer.keysOf(report, false)).containsExactly("study:1.2.3");
        Set<String> keys = ReportSequencer.keysOf(report, true);
        assertThat(keys).hasSize(3).contains("study:1.2.3")
                .anySatisfy(key -> assertThat(key).startsWith("patient:").hasSize("patient:".length() + 64))
                .anySatisfy(key -> assertThat(key).startsWith("accession:").hasSize("accession:".length() + 64))
                .noneSatisfy(key -> assertThat(key).containsAnyOf("PAT-77", "ACC-9"));
        // the same patient in another study shares the patient key only
        Set<String> other = ReportSequencer.keysOf(dataset("1.2.4", "PAT-77", "ACC-10"), true);
        assertThat(other).filteredOn(keys::contains).singleElement().asString().startsWith("patient:");
        // no Patient ID (linked from the study, D26), no accession: only the study
        assertThat(ReportSequencer.keysOf(dataset("1.2.5", "", ""), true)).containsExactly("study:1.2.5");
    }

    /** Many reports of a few studies on 4 threads: one study's never overlap and run in order; studies overlap. */
    @Test
    void underLoadOneStudysReportsNeverOverlapAndKeepTheirOrder() throws Exception {
        int studies = 4;
        int reports = 200;
        Map<Integer, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        Map<Integer, List<Integer>> order = new ConcurrentHashMap<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        List<String> overlaps = Collections.synchronizedList(new ArrayList<>());
        ExecutorService workers = Executors.newFixedThreadPool(4);
        for (int i = 0; i < reports; i++) {
            int report = i;
            int study = i % studies;
            ReportSequencer.Ticket ticket = sequencer.take(Set.of("study:" + study));
            workers.execute(() -> {
                try {
                    ticket.awaitTurn();
                    if (inFlight.computeIfAbsent(study, s -> new AtomicInteger()).incrementAndGet() > 1) {
                        overlaps.add("study " + study + " report " + report);
                    }
                    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                    order.computeIfAbsent(study, s -> Collections.synchronizedList(new ArrayList<>())).add(report);
                    Thread.sleep(1);
                    running.decrementAndGet();
                    inFlight.get(study).decrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    ticket.release();
                }
            });
        }
        workers.shutdown();
        assertThat(workers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(overlaps).isEmpty();
        assertThat(mostAtOnce.get()).isGreaterThan(1);
        for (int study = 0; study < studies; study++) {
            assertThat(order.get(study)).hasSize(reports / studies).isSorted();
        }
        assertThat(sequencer.heldKeys()).isZero();
    }

    static DicomDataset dataset(String study, String patientId, String accession) throws Exception {
        String json = "{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"" + study + "\"]},"
                + "\"00100020\":{\"vr\":\"LO\",\"Value\":[\"" + patientId + "\"]},"
                + "\"00080050\":{\"vr\":\"SH\",\"Value\":[\"" + accession + "\"]}}";
        return new DicomReader().read(json.getBytes(StandardCharsets.UTF_8), "test");
    }
}
