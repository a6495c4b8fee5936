package org.sr2fhir.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.sr2fhir.tid1500.SopClass.ENHANCED_SR;

import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sr2fhir.config.DicomWebProperties.FetchMode;
import org.sr2fhir.dicomweb.camel.DicomWebSteps;

/**
 * The standalone poll with several SRs at once (decision D62 as amended by issue 15), through the YAML routes of
 * {@code dicomweb-to-fhir.yaml} on a plain CamelContext, against the in-test archive and a stand-in for
 * {@code direct:sr-to-fhir} that holds each SR as a slow FHIR server would hold its transaction: SRs of different
 * studies are in flight together, one study's never, and they commit in listing order; an outage starts no further
 * SR and records none that did not commit; concurrency 1 delivers one SR after the other in listing order.
 */
class DicomWebPollConcurrencyTest {
    @TempDir
    Path dir;

    private final FakeDicomWebArchive archive = new FakeDicomWebArchive();
    private final PollBackoffTest.ManualClock clock = new PollBackoffTest.ManualClock();
    private DicomWebCamel camel;

    /** What the stand-in pipeline does with an SR (label = SOP Instance UID + ".dcm") once it is in flight. */
    @FunctionalInterface
    interface Delivery {
        void deliver(String label) throws Exception;
    }

    private volatile Delivery delivery = label -> { };
    /** SRs in the pipeline right now, per study, and the most at once in all. */
    private final Map<String, AtomicInteger> inFlightPerStudy = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    /** An SR that entered while another SR of its study was in the pipeline. */
    private final List<String> overlaps = new CopyOnWriteArrayList<>();
    private final List<String> entered = new CopyOnWriteArrayList<>();
    private final List<String> committed = new CopyOnWriteArrayList<>();

    /** Declared for the archive's field initializer, which opens its port. */
    DicomWebPollConcurrencyTest() throws Exception {
    }

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.close();
        }
        archive.close();
    }

    private DicomWebCamel camel(int concurrency) throws Exception {
        camel = new DicomWebCamel(archive.settings(100, dir.resolve("checkpoint.jsonl"), FetchMode.PART10,
                FakeDicomWebArchive.noAuth()), clock, concurrency);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(noErrorHandler()); // as the pipeline: failures go to the caller
                from("direct:sr-to-fhir").routeId("sr-to-fhir").process(exchange -> pipeline(exchange));
            }
        });
        return camel;
    }

    private void pipeline(Exchange exchange) throws Exception {
        String label = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class);
        String study = exchange.getProperty(DicomWebSteps.INSTANCE, InstanceRef.class).studyInstanceUid();
        AtomicInteger ofStudy = inFlightPerStudy.computeIfAbsent(study, s -> new AtomicInteger());
        if (ofStudy.incrementAndGet() > 1) {
            overlaps.add(label);
        }
        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        entered.add(label);
        try {
            delivery.deliver(label);
            committed.add(label);
        } finally {
            inFlight.decrementAndGet();
            ofStudy.decrementAndGet();
        }
    }

    private static void awaitOrFail(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("timed out waiting for " + what);
        }
    }

    @Test
    void srsOfDifferentStudiesAreInFlightTogetherAndOneStudysSrsInTurnInListingOrder() throws Exception {
        DicomWebCamel camel = camel(4);
        // studies A, B, C; listing order A1 B1 A2 C1 A3 B2
        archive.addToStudy(ENHANCED_SR, "2.1", "2.1.1");
        archive.addToStudy(ENHANCED_SR, "2.2", "2.2.1");
        archive.addToStudy(ENHANCED_SR, "2.1", "2.1.2");
        archive.addToStudy(ENHANCED_SR, "2.3", "2.3.1");
        archive.addToStudy(ENHANCED_SR, "2.1", "2.1.3");
        archive.addToStudy(ENHANCED_SR, "2.2", "2.2.2");
        // the first SR of each study is held until all three are in flight: a sequential poll never gets there
        CountDownLatch firstOfEachStudy = new CountDownLatch(3);
        delivery = label -> {
            if (label.endsWith(".1.dcm")) {
                firstOfEachStudy.countDown();
                awaitOrFail(firstOfEachStudy, "the first SR of each study in flight together");
            }
            Thread.sleep(20);
        };

        camel.poll();

        // the poll returned only once every SR ended and was checkpointed
        assertThat(committed).hasSize(6);
        assertThat(camel.source().checkpoint().deliveredCount()).isEqualTo(6);
        assertThat(mostInFlight.get()).isGreaterThanOrEqualTo(3);
        assertThat(overlaps).isEmpty();
        assertThat(committed.stream().filter(l -> l.startsWith("2.1."))).containsExactly(
                "2.1.1.dcm", "2.1.2.dcm", "2.1.3.dcm");
        assertThat(committed.stream().filter(l -> l.startsWith("2.2."))).containsExactly("2.2.1.dcm", "2.2.2.dcm");
        camel.poll();
        assertThat(entered).hasSize(6); // nothing fetched again
    }

    @Test
    void anOutageStartsNoFurtherSrAndRecordsOnlyWhatCommitted() throws Exception {
        DicomWebCamel camel = camel(4);
        for (int study = 1; study <= 8; study++) {
            archive.addToStudy(ENHANCED_SR, "3." + study, "3." + study + ".1");
        }
        // SRs 1-4 in flight together; 2 meets an outage (FHIR server unreachable) once 1, 3 and 4 are in; 1, 3 and 4
        // go on, 3 meeting the outage too; 5-8 were not started
        CountDownLatch othersIn = new CountDownLatch(3);
        CountDownLatch afterOutage = new CountDownLatch(1);
        delivery = label -> {
            switch (label) {
                case "3.2.1.dcm" -> {
                    awaitOrFail(othersIn, "SRs 1, 3 and 4 in flight");
                    throw new ConnectException("Connection refused (FHIR server)");
                }
                case "3.1.1.dcm", "3.4.1.dcm" -> {
                    othersIn.countDown();
                    awaitOrFail(afterOutage, "the outage");
                }
                case "3.3.1.dcm" -> {
                    othersIn.countDown();
                    awaitOrFail(afterOutage, "the outage");
                    throw new ConnectException("Connection refused (FHIR server)");
                }
                default -> { }
            }
        };
        CompletableFuture<Void> poll = CompletableFuture.runAsync(camel::poll);
        await().atMost(Duration.ofSeconds(10)).until(() -> camel.source().backoff().consecutiveFailures() == 1);
        afterOutage.countDown();
        poll.get(10, TimeUnit.SECONDS);

        CheckpointStore checkpoint = camel.source().checkpoint();
        assertThat(committed).containsExactlyInAnyOrder("3.1.1.dcm", "3.4.1.dcm");
        assertThat(entered).containsExactlyInAnyOrder("3.1.1.dcm", "3.2.1.dcm", "3.3.1.dcm", "3.4.1.dcm");
        assertThat(List.of("3.1.1", "3.4.1")).allMatch(checkpoint::isDelivered);
        assertThat(List.of("3.2.1", "3.3.1", "3.5.1", "3.6.1", "3.7.1", "3.8.1")).noneMatch(checkpoint::isSettled);
        assertThat(archive.fetchedSopInstanceUids()).containsExactlyInAnyOrder("3.1.1", "3.2.1", "3.3.1", "3.4.1");
        // one failed poll: two SRs meeting the outage count once, and those delivered after it do not end the pause
        assertThat(camel.source().backoff().consecutiveFailures()).isEqualTo(1);
        assertThat(camel.source().backoff().ready()).isFalse();

        // the next poll, after the pause, delivers the rest, and nothing twice
        delivery = label -> { };
        clock.advance(Duration.ofSeconds(1));
        camel.poll();
        assertThat(committed).hasSize(8).doesNotHaveDuplicates();
        assertThat(checkpoint.deliveredCount()).isEqualTo(8);
        assertThat(camel.source().backoff().consecutiveFailures()).isZero();
    }

    @Test
    void concurrencyOneDeliversOneSrAfterTheOtherInListingOrder() throws Exception {
        DicomWebCamel camel = camel(1);
        List<String> listed = new ArrayList<>();
        // studies A B A C A: one thread, and a later SR of A never waits for an earlier one it would hold up
        for (String[] sr : new String[][] {{"4.1", "4.1.1"}, {"4.2", "4.2.1"}, {"4.1", "4.1.2"}, {"4.3", "4.3.1"},
                {"4.1", "4.1.3"}}) {
            listed.add(archive.addToStudy(ENHANCED_SR, sr[0], sr[1]).sopInstanceUid() + ".dcm");
        }
        delivery = label -> Thread.sleep(20);

        CompletableFuture.runAsync(camel::poll).get(10, TimeUnit.SECONDS);

        assertThat(mostInFlight.get()).isEqualTo(1);
        assertThat(entered).containsExactlyElementsOf(listed);
        assertThat(committed).containsExactlyElementsOf(listed);
    }
}
