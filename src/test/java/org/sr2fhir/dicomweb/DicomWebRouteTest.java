package org.sr2fhir.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.sr2fhir.tid1500.SopClass.COMPREHENSIVE_3D_SR;
import static org.sr2fhir.tid1500.SopClass.ENHANCED_SR;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.delivery.DeliveryCounters;
import org.sr2fhir.delivery.ReportTurns;
import org.sr2fhir.dicomweb.camel.DicomWebConfiguration;
import org.sr2fhir.delivery.FailureReport;
import org.sr2fhir.journal.JournalEntry;
import org.sr2fhir.journal.JournalQuery;
import org.sr2fhir.journal.ReportJournal;
import org.sr2fhir.journal.ReportSource;
import org.sr2fhir.journal.ReportStatus;
import org.sr2fhir.journal.TestJournals;
import org.sr2fhir.journal.camel.JournalSteps;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The YAML route {@code dicomweb-to-fhir} as users configure it, against the in-test archive and a stand-in for
 * {@code direct:sr-to-fhir} that can reject an SR or play an unreachable FHIR server. Proves: every SR delivered
 * once, a rejected SR recorded with its reason without blocking the others, and both outages (FHIR server, archive)
 * back off and catch up.
 */
@CamelSpringBootTest
@SpringBootTest(classes = DicomWebRouteTest.App.class, properties = {
        "camel.main.routes-include-pattern=file:routes/dicomweb-to-fhir.yaml",
        "sr2fhir.dicomweb.enabled=true",
        "sr2fhir.dicomweb.poll-interval=100ms",
        "sr2fhir.dicomweb.max-backoff=1s",
        "sr2fhir.dicomweb.page-size=2",
        "camel.main.routes-reload-enabled=false"})
class DicomWebRouteTest {
    static final FakeDicomWebArchive ARCHIVE;
    static final Path CHECKPOINT;

    static {
        try {
            ARCHIVE = new FakeDicomWebArchive();
            CHECKPOINT = Files.createTempDirectory("dicomweb-route").resolve("checkpoint.jsonl");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Completed deliveries and attempts per label, as seen by the stand-in pipeline. */
    static final Map<String, AtomicInteger> DELIVERED = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();
    static final Set<String> REJECT = Set.of("1.9.dcm");
    static final Set<String> REFUSED_BY_FHIR = Set.of("1.7.dcm");
    static final Set<String> BUGGY = Set.of("1.8.dcm");
    static volatile boolean fhirDown;

    @DynamicPropertySource
    static void archive(DynamicPropertyRegistry registry) {
        registry.add("sr2fhir.dicomweb.url", () -> ARCHIVE.url().toString());
        registry.add("sr2fhir.dicomweb.checkpoint-file", CHECKPOINT::toString);
    }

    @Configuration
    @ImportAutoConfiguration({CamelAutoConfiguration.class, PropertyPlaceholderAutoConfiguration.class,
            ConfigurationPropertiesAutoConfiguration.class, ValidationAutoConfiguration.class})
    @Import({DicomWebConfiguration.class, FailureReport.class, DeliveryCounters.class, JournalSteps.class,
            ReportTurns.class})
    static class App {
        @Bean
        ReportJournal reportJournal() {
            return TestJournals.inMemory();
        }

        @Bean
        FhirContext fhirContext() {
            return FhirContext.forR5Cached();
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        /** Stand-in for the foundation's sr-to-fhir route, with its contract: exceptions reach the caller. */
        @Bean
        RouteBuilder pipeline() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:sr-to-fhir").routeId("sr-to-fhir").process(this::deliver)
                            .bean("journal", "delivered");
                }

                private void deliver(Exchange exchange) throws Exception {
                    String label = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class);
                    assertThat(exchange.getMessage().getBody(byte[].class)).isNotEmpty();
                    ATTEMPTS.computeIfAbsent(label, k -> new AtomicInteger()).incrementAndGet();
                    if (REJECT.contains(label)) {
                        throw new InputRejectedException(label, "1.9", "Basic Text SR, not a TID 1500 measurement report");
                    }
                    if (REFUSED_BY_FHIR.contains(label)) {
                        throw new UnprocessableEntityException("HTTP 422 Unprocessable Entity: bundle invalid");
                    }
                    if (BUGGY.contains(label)) {
                        throw new IllegalStateException("a mapping bug");
                    }
                    if (fhirDown) {
                        throw new ConnectException("Connection refused (FHIR server)");
                    }
                    DELIVERED.computeIfAbsent(label, k -> new AtomicInteger()).incrementAndGet();
                }
            };
        }
    }

    @Autowired
    CamelContext camel;
    @Autowired
    DicomWebSource source;
    @Autowired
    ReportJournal journal;

    @AfterAll
    static void stopArchive() {
        ARCHIVE.close();
    }

    private static int delivered(String label) {
        return DELIVERED.getOrDefault(label, new AtomicInteger()).get();
    }

    @Test
    void deliversEachSrOnceRecordsRejectionsAndCatchesUpAfterOutages() throws Exception {
        assertThat(camel.getRouteController().getRouteStatus("dicomweb-to-fhir").isStarted()).isTrue();
        ARCHIVE.add(ENHANCED_SR, "1.1");
        ARCHIVE.add(ENHANCED_SR, "1.9");
        ARCHIVE.add(ENHANCED_SR, "1.8");
        ARCHIVE.add(ENHANCED_SR, "1.7");
        ARCHIVE.add(ENHANCED_SR, "1.2");
        ARCHIVE.add(COMPREHENSIVE_3D_SR, "3.1");

        // 1. all delivered; the rejected, refused and buggy ones recorded with their reasons, none blocking 1.2
        await().atMost(Duration.ofSeconds(20)).until(() -> source.checkpoint().deliveredCount() == 3
                && source.checkpoint().rejected().size() == 3);
        assertThat(source.checkpoint().rejected())
                .containsEntry("1.9", "Basic Text SR, not a TID 1500 measurement report")
                .hasEntrySatisfying("1.7", r -> assertThat(r).contains("HTTP 422"))
                .hasEntrySatisfying("1.8", r -> assertThat(r).startsWith("failed in 3 polls").contains("a mapping bug"));
        Thread.sleep(500); // several more polls: nothing fetched again
        assertThat(DELIVERED).containsOnlyKeys("1.1.dcm", "1.2.dcm", "3.1.dcm")
                .allSatisfy((label, count) -> assertThat(count.get()).isEqualTo(1));
        assertThat(ATTEMPTS.get("1.9.dcm").get()).isEqualTo(1); // rejected: never retried
        assertThat(ATTEMPTS.get("1.7.dcm").get()).isEqualTo(1); // refused by the FHIR server: never retried
        assertThat(ATTEMPTS.get("1.8.dcm").get()).isEqualTo(3); // unexpected: max-attempts polls
        assertThat(source.backoff().consecutiveFailures()).isZero();

        // 2. FHIR server unreachable: nothing recorded, the poll stops at the first failure and backs off
        fhirDown = true;
        ARCHIVE.add(ENHANCED_SR, "1.3");
        ARCHIVE.add(ENHANCED_SR, "1.4");
        await().atMost(Duration.ofSeconds(20)).until(() -> source.backoff().consecutiveFailures() >= 3);
        // one study: 1.4 waits for 1.3's turn, and after 1.3's outage the poll starts no further SR
        assertThat(ATTEMPTS).doesNotContainKey("1.4.dcm");
        assertThat(source.checkpoint().isSettled("1.3")).isFalse();
        fhirDown = false;
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered("1.3.dcm") == 1 && delivered("1.4.dcm") == 1);
        assertThat(source.backoff().consecutiveFailures()).isZero();

        // 3. archive unreachable (HTTP 503) for 2 s: polls back off, then the new SR arrives once it is back
        int requestsBefore = ARCHIVE.requests().size();
        ARCHIVE.setDown(true);
        ARCHIVE.add(COMPREHENSIVE_3D_SR, "3.2");
        Thread.sleep(2000);
        int requestsWhileDown = ARCHIVE.requests().size() - requestsBefore;
        ARCHIVE.setDown(false);
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered("3.2.dcm") == 1);
        // pauses of 0.1, 0.2, 0.4, 0.8, 1 s: about 5 attempts instead of 20 at the 100 ms poll interval
        assertThat(requestsWhileDown).isBetween(3, 8);

        Thread.sleep(500);
        assertThat(DELIVERED).hasSize(6).allSatisfy((label, count) -> assertThat(count.get()).isEqualTo(1));
        assertThat(source.checkpoint().deliveredCount()).isEqualTo(6);

        // 4. the journal: one row per SR, with its outcome; outages continued the same row (attempts)
        Map<String, JournalEntry> rows = journal.search(new JournalQuery(null, null, null, null, null, 100)).stream()
                .collect(java.util.stream.Collectors.toMap(JournalEntry::sourceName, e -> e));
        assertThat(rows).containsOnlyKeys("1.1", "1.2", "1.3", "1.4", "1.7", "1.8", "1.9", "3.1", "3.2");
        assertThat(rows.values()).allSatisfy(e -> assertThat(e.source()).isEqualTo(ReportSource.DICOMWEB));
        assertThat(rows).allSatisfy((uid, e) -> assertThat(e.status()).isEqualTo(
                Set.of("1.7", "1.8", "1.9").contains(uid) ? ReportStatus.REJECTED : ReportStatus.DELIVERED));
        assertThat(rows.get("1.9").reason()).contains("Basic Text SR, not a TID 1500 measurement report");
        assertThat(rows.get("1.7").reason()).contains("HTTP 422");
        assertThat(rows.get("1.8").attempts()).isEqualTo(3);
        assertThat(rows.get("1.8").reason()).contains("a mapping bug");
        assertThat(rows.get("1.3").attempts()).isGreaterThanOrEqualTo(2);
        assertThat(rows.get("1.1").attempts()).isEqualTo(1);
    }
}
