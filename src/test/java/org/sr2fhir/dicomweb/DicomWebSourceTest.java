package org.sr2fhir.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sr2fhir.tid1500.SopClass.COMPREHENSIVE_3D_SR;
import static org.sr2fhir.tid1500.SopClass.COMPREHENSIVE_SR;
import static org.sr2fhir.tid1500.SopClass.ENHANCED_SR;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Status;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.config.DicomWebProperties;
import org.sr2fhir.config.DicomWebProperties.FetchMode;
import org.sr2fhir.config.Sr2FhirProperties;
import org.sr2fhir.ops.DicomWebHealthIndicator;
import org.sr2fhir.ops.OpsMetrics;

class DicomWebSourceTest {
    @TempDir
    Path dir;

    private final FakeDicomWebArchive archive = new FakeDicomWebArchive();
    private final PollBackoffTest.ManualClock clock = new PollBackoffTest.ManualClock();
    private final List<DicomWebCamel> camels = new ArrayList<>();

    DicomWebSourceTest() throws Exception {
    }

    @AfterEach
    void stop() throws Exception {
        for (DicomWebCamel camel : camels) {
            camel.close();
        }
        archive.close();
    }

    /** The source with its routes over Camel's http component. */
    private DicomWebCamel camel(DicomWebProperties settings) throws Exception {
        DicomWebCamel camel = new DicomWebCamel(settings, clock);
        camels.add(camel);
        return camel;
    }

    private DicomWebCamel camel() throws Exception {
        return camel(archive.settings(2, dir.resolve("checkpoint.jsonl"), FetchMode.PART10,
                FakeDicomWebArchive.noAuth()));
    }

    private DicomWebSource source() throws Exception {
        return camel().source();
    }

    /** direct:dicomweb-fetch for {@code ref}: the exchange's body and label, or its exception thrown. */
    private static Exchange fetched(DicomWebCamel camel, InstanceRef ref) throws Exception {
        Exchange exchange = camel.fetch(ref);
        if (exchange.getException() != null) {
            throw exchange.getException();
        }
        return exchange;
    }

    @Test
    void listsEverySopClassInScopeAndSkipsSettledInstances() throws Exception {
        archive.add(ENHANCED_SR, "1.1");
        archive.add(ENHANCED_SR, "1.2");
        archive.add(ENHANCED_SR, "1.3");
        archive.add(COMPREHENSIVE_SR, "2.1");
        archive.add(COMPREHENSIVE_3D_SR, "3.1");
        archive.add("1.2.840.10008.5.1.4.1.1.88.11", "4.1"); // Basic Text SR: not in scope (decision D1)
        DicomWebSource source = source();

        List<InstanceRef> first = source.listNewInstances();
        assertThat(first).extracting(InstanceRef::sopInstanceUid).containsExactly("1.1", "1.2", "1.3", "2.1", "3.1");

        source.delivered(first.get(0));
        source.rejected(first.get(1), "not a TID 1500 measurement report");
        assertThat(source.listNewInstances()).extracting(InstanceRef::sopInstanceUid)
                .containsExactly("1.3", "2.1", "3.1");
    }

    @Test
    void aCrashBetweenFetchAndRecordMeansTheInstanceIsFetchedAgainAfterRestart() throws Exception {
        archive.add(ENHANCED_SR, "1.1");
        archive.add(ENHANCED_SR, "1.2");
        DicomWebCamel before = camel();
        List<InstanceRef> listed = before.source().listNewInstances();
        fetched(before, listed.get(0));
        before.source().delivered(listed.get(0));
        fetched(before, listed.get(1)); // delivered downstream, then the JVM dies before it is recorded
        // no close(): a crash does not close files

        DicomWebSource after = source();

        assertThat(after.listNewInstances()).extracting(InstanceRef::sopInstanceUid).containsExactly("1.2");
        assertThat(archive.fetchedSopInstanceUids()).containsExactly("1.1", "1.2");
    }

    @Test
    void fetchesPart10OrJsonWithOnlyTheBytesAndALabelNamingTheInstance() throws Exception {
        InstanceRef ref = archive.add(ENHANCED_SR, "1.1");

        Exchange part10 = fetched(camel(), ref);
        Exchange json = fetched(camel(archive.settings(2, dir.resolve("other.jsonl"), FetchMode.JSON,
                FakeDicomWebArchive.noAuth())), ref);

        assertThat(new String(part10.getMessage().getBody(byte[].class), StandardCharsets.US_ASCII))
                .isEqualTo("part10-of-1.1");
        // what the inbox gives the pipeline too: the bytes and CamelFileName, no HTTP headers of the archive
        assertThat(part10.getMessage().getHeaders()).containsOnlyKeys(Exchange.FILE_NAME)
                .containsEntry(Exchange.FILE_NAME, "1.1.dcm");
        assertThat(new String(json.getMessage().getBody(byte[].class), StandardCharsets.UTF_8))
                .startsWith("{").contains("\"1.1\"");
        assertThat(json.getMessage().getHeader(Exchange.FILE_NAME)).isEqualTo("1.1.json");
        assertThat(archive.accepts()).containsExactly(
                "multipart/related; type=\"application/dicom\"; transfer-syntax=*", "application/dicom+json");
    }

    @Test
    void everyRequestGoesThroughOneHttpEndpoint() throws Exception {
        archive.add(ENHANCED_SR, "1.1");
        archive.add(ENHANCED_SR, "1.2");
        archive.add(ENHANCED_SR, "1.3");
        DicomWebCamel camel = camel();

        for (InstanceRef ref : camel.source().listNewInstances()) {
            fetched(camel, ref);
        }

        // toD's http optimisation: the resource travels in headers, so no endpoint per SR piles up
        assertThat(camel.httpEndpoints()).singleElement()
                .satisfies(e -> assertThat(e.getEndpointUri()).contains("dicomWebHttpClient")
                        .contains("httpMethod=GET").doesNotContain("instances"));
        assertThat(archive.fetchedSopInstanceUids()).containsExactly("1.1", "1.2", "1.3");
    }

    @Test
    void anInstanceGoneFromTheArchiveIsRejectedNotRetried() throws Exception {
        DicomWebCamel camel = camel();
        InstanceRef gone = new InstanceRef("1.2.3.100", "1.2.3.100.1", "9.9", ENHANCED_SR);

        assertThatThrownBy(() -> fetched(camel, gone)).isInstanceOf(InputRejectedException.class)
                .hasMessageContaining("9.9").hasMessageContaining("404");
        assertThat(camel.source().backoff().consecutiveFailures()).isZero();
    }

    @Test
    void aFetchDuringAnOutageAbortsThePoll() throws Exception {
        DicomWebCamel camel = camel();
        InstanceRef ref = archive.add(ENHANCED_SR, "1.1");
        archive.setDown(true);

        assertThatThrownBy(() -> fetched(camel, ref)).isInstanceOf(PollAbortedException.class)
                .hasMessageContaining("fetching 1.1").hasMessageContaining("HTTP 503");
        assertThat(camel.source().backoff().consecutiveFailures()).isEqualTo(1);
    }

    @Test
    void anOutageAbortsThePollAndBacksOffUntilTheArchiveReturns() throws Exception {
        archive.add(ENHANCED_SR, "1.1");
        DicomWebSource source = source();
        archive.setDown(true);

        assertThatThrownBy(source::listNewInstances).isInstanceOf(PollAbortedException.class)
                .hasMessageContaining("HTTP 503");
        int requests = archive.requests().size();
        assertThat(source.listNewInstances()).isEmpty(); // backing off: the archive is not even asked
        assertThat(archive.requests()).hasSize(requests);

        clock.advance(Duration.ofMillis(200)); // poll interval: the first pause
        assertThatThrownBy(source::listNewInstances).isInstanceOf(PollAbortedException.class);
        clock.advance(Duration.ofMillis(200));
        assertThat(source.listNewInstances()).isEmpty(); // second pause is twice as long
        archive.setDown(false);
        clock.advance(Duration.ofMillis(200));

        assertThat(source.listNewInstances()).extracting(InstanceRef::sopInstanceUid).containsExactly("1.1");
    }

    /** Issue 12: health dicomWeb and the sr2fhir.dicomweb.lag gauge follow the polls (decisions D68, D69). */
    @Test
    void healthIsDownWhileThePollBacksOffAndTheLagCountsFromTheLastPollThatCaughtUp() throws Exception {
        InstanceRef ref = archive.add(ENHANCED_SR, "1.1");
        DicomWebProperties settings = archive.settings(2, dir.resolve("checkpoint.jsonl"), FetchMode.PART10,
                FakeDicomWebArchive.noAuth());
        DicomWebSource source = camel(settings).source();
        DicomWebHealthIndicator health = new DicomWebHealthIndicator(settings, source);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        new OpsMetrics(new Sr2FhirProperties(null, new Sr2FhirProperties.Inbox(dir.resolve("inbox").toString(), null,
                null), null, null, null, null, null, null), settings, source).bindTo(meters);
        Gauge lag = meters.get("sr2fhir.dicomweb.lag").gauge();

        assertThat(source.listNewInstances()).hasSize(1);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(lag.value()).as("not caught up yet").isNaN();

        source.delivered(ref);
        assertThat(source.listNewInstances()).isEmpty();
        clock.advance(Duration.ofSeconds(90));
        assertThat(lag.value()).isEqualTo(90.0);
        assertThat(health.health().getDetails()).containsEntry("lagSeconds", 90L);

        archive.setDown(true);
        assertThatThrownBy(source::listNewInstances).isInstanceOf(PollAbortedException.class);
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.health().getDetails()).containsEntry("consecutiveFailures", 1);
        clock.advance(Duration.ofSeconds(10));
        assertThat(lag.value()).as("still counting while the archive is away").isEqualTo(100.0);

        archive.setDown(false);
        assertThat(source.listNewInstances()).isEmpty();
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(lag.value()).isZero();
    }

    @Test
    void withALookbackOnlyRecentStudiesAreAskedForOnceAWatermarkExists() throws Exception {
        DicomWebProperties base = archive.settings(2, dir.resolve("checkpoint.jsonl"), FetchMode.PART10,
                FakeDicomWebArchive.noAuth());
        DicomWebProperties withLookback = new DicomWebProperties(true, base.url(), base.auth(),
                base.connectTimeout(), base.readTimeout(), base.pollInterval(), base.maxBackoff(), base.pageSize(),
                List.of(ENHANCED_SR), FetchMode.PART10, java.time.Period.ofDays(7), base.checkpointFile(), 3);
        DicomWebSource source = camel(withLookback).source();
        archive.add(ENHANCED_SR, "1.1");

        source.listNewInstances(); // first poll: everything, and 1.1 stays pending, so no watermark yet
        source.delivered(new InstanceRef("1.2.3.100", "1.2.3.100.1", "1.1", ENHANCED_SR));
        source.listNewInstances(); // nothing left: the watermark moves to this poll
        source.listNewInstances();

        assertThat(archive.requests()).hasSize(3);
        assertThat(archive.requests().get(0)).doesNotContain("StudyDate");
        assertThat(archive.requests().get(1)).doesNotContain("StudyDate");
        assertThat(archive.requests().get(2)).contains("StudyDate=20261116-");
    }
}
