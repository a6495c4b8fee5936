package org.sr2fhir.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.hl7.fhir.r5.model.Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.sr2fhir.Sr2FhirApplication;
import org.sr2fhir.testserver.FhirTestServer;
import org.sr2fhir.tid1500.ReportCorpus;

/**
 * Issue 6: when the retry budget is spent the input goes to error/ marked retryable, and moving it back to the inbox
 * (the README's way) sends it once the server is back; the conversion report is logged once however often the
 * report is retried (decision D34). A server of this class's own, since it is stopped.
 */
@CamelSpringBootTest
@SpringBootTest(classes = Sr2FhirApplication.class)
class RetryBudgetIT {
    private static final FhirTestServer SERVER = FhirTestServer.launch(0);
    private static final Path WORK = TestFolders.create("retry-budget-it");

    @Autowired
    private MeterRegistry meters;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("sr2fhir.fhir.url", SERVER::baseUrl);
        TestFolders.registerInboxFolders(registry, WORK);
        registry.add("sr2fhir.delivery.retry-budget", () -> "3s");
        registry.add("sr2fhir.delivery.initial-backoff", () -> "200ms");
        registry.add("camel.main.routes-reload-enabled", () -> "false");
        registry.add("sr2fhir.linking.create-missing", () -> "true");
    }

    @AfterAll
    static void stopServer() {
        SERVER.close();
    }

    @Test
    void spentBudgetMarksTheInputRetryableAndMovingItBackSendsIt() throws Exception {
        Path source = ReportCorpus.ROOT.resolve("sr/ext_dwv-tid1500_sr-ruler.dcm");
        String uid = ReportCorpus.read(source).document().header().sopInstanceUid();
        SERVER.stop();
        ListAppender<ILoggingEvent> conversionLog = new ListAppender<>();
        conversionLog.start();
        ((Logger) LoggerFactory.getLogger(ConversionReports.class)).addAppender(conversionLog);
        TestFolders.dropAtomically(WORK.resolve("inbox"), "ruler.dcm", Files.readAllBytes(source));

        Path failed = WORK.resolve("error").resolve("ruler.dcm");
        Path reason = WORK.resolve("error").resolve("ruler.dcm.error.txt");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(failed) && Files.exists(reason));
        assertThat(reason).content().startsWith("FHIR server not reachable")
                .contains("kind: server-unreachable").contains("retryable: yes");
        // decision D34: the conversion report's summary is logged once per report, not again on each retry
        assertThat(meters.get("sr2fhir.reports.retried").counter().count()).isGreaterThan(1);
        assertThat(conversionLog.list).extracting(ILoggingEvent::getFormattedMessage)
                .filteredOn(line -> line.startsWith("ruler.dcm (SR " + uid + "): converted")).hasSize(1);

        SERVER.start();
        Files.move(failed, WORK.resolve("inbox").resolve("ruler.dcm"), StandardCopyOption.ATOMIC_MOVE);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(WORK.resolve("done").resolve("ruler.dcm")));
        Bundle reports = FhirContext.forR5Cached().newRestfulGenericClient(SERVER.baseUrl()).search()
                .byUrl("DiagnosticReport?identifier=urn:dicom:uid|urn:oid:" + uid).returnBundle(Bundle.class).execute();
        assertThat(reports.getEntry()).hasSize(1);
    }
}
