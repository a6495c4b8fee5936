package org.sr2fhir.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.sr2fhir.Sr2FhirApplication;
import org.sr2fhir.testserver.FhirTestServer;

/**
 * Issue 15, several reports at once through the inbox (decisions D58-D60), against a HAPI FHIR R5 server of this
 * class's own seen through {@link FhirProxy}, which holds each transaction 300 ms and records when it ran: reports of
 * several studies dropped at once are in flight together, one study's never are and keep their arrival order; a
 * report the server answers HTTP 500 waits for its retries without holding up the other studies; the same bytes
 * twice at once are sent once; the server holds exactly what one clean delivery of the reports leaves.
 */
@CamelSpringBootTest
@SpringBootTest(classes = Sr2FhirApplication.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConcurrentDeliveryIT {
    private static final FhirTestServer SERVER = FhirTestServer.launch(0);
    private static final FhirProxy PROXY = proxy();
    private static final Path WORK = TestFolders.create("concurrent-delivery-it");
    private static final Path INBOX = WORK.resolve("inbox");
    private static final Path DONE = WORK.resolve("done");
    /** Everything the tests delivered, for the server's totals. */
    private static final ExpectedResources EXPECTED = new ExpectedResources();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("sr2fhir.fhir.url", PROXY::baseUrl);
        TestFolders.registerInboxFolders(registry, WORK);
        registry.add("camel.main.routes-reload-enabled", () -> "false");
        // the server starts empty (D3)
        registry.add("sr2fhir.linking.create-missing", () -> "true");
        registry.add("sr2fhir.delivery.concurrency", () -> "4");
        registry.add("sr2fhir.delivery.initial-backoff", () -> "1s");
    }

    @AfterAll
    static void stop() {
        PROXY.close();
        SERVER.close();
    }

    @Test
    @Order(1)
    void severalStudiesRunInParallelEachInArrivalOrderAndARetryHoldsUpNoOtherStudy() throws Exception {
        List<ReportVariants.Variant> reports = ReportVariants.derive("cd1", 24, 6, 6);
        ReportVariants.Variant flaky = reports.get(0);
        PROXY.refusals.put(flaky.srUid(), new AtomicInteger(2));
        PROXY.delay = Duration.ofMillis(300);
        TestFolders.dropAtOnce(WORK.resolve("staging"), INBOX, reports);

        await().atMost(Duration.ofMinutes(3)).until(() -> reports.stream()
                .allMatch(report -> Files.exists(DONE.resolve(report.name()))));

        // every report committed once; the flaky one after two HTTP 500 answers
        for (ReportVariants.Variant report : reports) {
            assertThat(of(report)).as(report.name()).filteredOn(t -> t.status() < 300).hasSize(1);
        }
        assertThat(of(flaky)).extracting(FhirProxy.Transaction::status).containsExactly(500, 500, 200);
        assertThat(PROXY.mostInFlight()).as("transactions in flight together").isGreaterThan(1);

        // one study's transactions never overlap, and run in the reports' arrival (index) order
        for (int study = 0; study < 6; study++) {
            int s = study;
            List<ReportVariants.Variant> ofStudy = reports.stream().filter(r -> r.study() == s).toList();
            List<FhirProxy.Transaction> sent = ofStudy.stream().flatMap(r -> of(r).stream())
                    .sorted(Comparator.comparingLong(FhirProxy.Transaction::start)).toList();
            for (int i = 1; i < sent.size(); i++) {
                assertThat(sent.get(i).overlaps(sent.get(i - 1))).as("study %d, transactions %d and %d", s, i - 1, i)
                        .isFalse();
            }
            List<String> committedOrder = sent.stream().filter(t -> t.status() < 300)
                    .map(t -> ofStudy.stream().filter(r -> t.body().contains(r.srUid())).findFirst().orElseThrow())
                    .map(ReportVariants.Variant::name).toList();
            assertThat(committedOrder).as("study %d", s)
                    .isEqualTo(ofStudy.stream().map(ReportVariants.Variant::name).toList());
        }

        // while the flaky report waited for its retries, other studies' reports were committed
        List<FhirProxy.Transaction> flakyAttempts = of(flaky);
        long firstRefusal = flakyAttempts.get(0).end();
        long success = flakyAttempts.get(2).start();
        assertThat(reports.stream().filter(r -> r.study() != flaky.study()).flatMap(r -> of(r).stream())
                .filter(t -> t.status() < 300 && t.start() > firstRefusal && t.end() < success))
                .as("other studies' commits during the retry pauses").isNotEmpty();

        for (ReportVariants.Variant report : reports) {
            EXPECTED.add(report.bundle(ExpectedResources.CREATE_MISSING));
        }
        assertServerHoldsOneCleanDelivery();
    }

    @Test
    @Order(2)
    void theSameBytesTwiceAtOnceAreSentOnce() throws Exception {
        PROXY.delay = Duration.ofMillis(300);
        ReportVariants.Variant report = ReportVariants.derive("cd2", 1, 1, 1).get(0);
        TestFolders.dropAtomically(INBOX, "twin-a.json", report.content());
        TestFolders.dropAtomically(INBOX, "twin-b.json", report.content());

        await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(DONE.resolve("twin-a.json"))
                && Files.exists(DONE.resolve("twin-b.json")));
        assertThat(of(report)).extracting(FhirProxy.Transaction::status).containsExactly(200);

        EXPECTED.add(report.bundle(ExpectedResources.CREATE_MISSING));
        assertServerHoldsOneCleanDelivery();
    }

    private static void assertServerHoldsOneCleanDelivery() {
        assertThat(EXPECTED.onServer(FhirContext.forR5Cached().newRestfulGenericClient(SERVER.baseUrl())))
                .isEqualTo(EXPECTED.counts());
    }

    /** The proxy's transactions of {@code report}, in the order they started. */
    private static List<FhirProxy.Transaction> of(ReportVariants.Variant report) {
        return PROXY.transactions.stream().filter(t -> t.body().contains(report.srUid()))
                .sorted(Comparator.comparingLong(FhirProxy.Transaction::start)).toList();
    }

    private static FhirProxy proxy() {
        try {
            return new FhirProxy(SERVER.baseUrl());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
