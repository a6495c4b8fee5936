package org.sr2fhir.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.DiagnosticReport;
import org.hl7.fhir.r5.model.ImagingStudy;
import org.hl7.fhir.r5.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.sr2fhir.Sr2FhirApplication;
import org.sr2fhir.conversion.ConversionReport;
import org.sr2fhir.fhir.ReportMapper;
import org.sr2fhir.testserver.FhirTestServer;
import org.sr2fhir.tid1500.MeasurementReport;
import org.sr2fhir.tid1500.ProducerFixtures;

/**
 * Decision D34 in the route: the conversion report is on the exchange (sr2fhirConversionSummary,
 * sr2fhirConversionReport) when the report was mapped and when it was refused; decision D26: a report without a
 * Patient ID whose study is not on the server goes to error/ at once marked retryable, not retried, and is delivered
 * with the study's Patient once moved back after the study arrived.
 */
@CamelSpringBootTest
@SpringBootTest(classes = Sr2FhirApplication.class)
class ConversionReportRouteIT {
    private static final Path WORK = TestFolders.create("conversion-report-it");
    private static final Path INBOX = WORK.resolve("inbox");
    private static final Path DONE = WORK.resolve("done");
    private static final Path ERROR = WORK.resolve("error");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** File name → the two properties as the exchange ended. */
    private final Map<String, String[]> ended = new ConcurrentHashMap<>();

    @Autowired
    private CamelContext camel;

    @Autowired
    private MeterRegistry meters;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("sr2fhir.fhir.url", () -> FhirTestServer.shared().baseUrl());
        TestFolders.registerInboxFolders(registry, WORK);
        registry.add("camel.main.routes-reload-enabled", () -> "false");
        registry.add("sr2fhir.linking.create-missing", () -> "true");
        registry.add("sr2fhir.validation.mode", () -> "off");
    }

    @BeforeEach
    void watchExchanges() throws Exception {
        EventNotifierSupport notifier = new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
                String file = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class);
                String summary = exchange.getProperty(ConversionReports.SUMMARY, String.class);
                if (file != null && summary != null) {
                    ended.put(file, new String[] {summary, exchange.getProperty(ConversionReports.REPORT, String.class)});
                }
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.ExchangeCompletedEvent || event instanceof CamelEvent.ExchangeFailedEvent;
            }
        };
        ServiceHelper.startService(notifier);
        camel.getManagementStrategy().addEventNotifier(notifier);
    }

    private static IGenericClient client() {
        FhirContext fhir = FhirContext.forR5Cached();
        fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        return fhir.newRestfulGenericClient(FhirTestServer.shared().baseUrl());
    }

    @Test
    void aMappedReportLeavesItsConversionReportOnTheExchange() throws Exception {
        TestFolders.dropAtomically(INBOX, "observer-context.dcm", ProducerFixtures.bytes("observer-context"));
        await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(DONE.resolve("observer-context.dcm"))
                && ended.containsKey("observer-context.dcm"));
        MeasurementReport report = ProducerFixtures.read("observer-context");
        Bundle bundle = new ReportMapper(ExpectedResources.CREATE_MISSING).convert(report);
        ConversionReport expected = ConversionReport.converted(report, java.util.List.of(bundle));
        assertThat(ended.get("observer-context.dcm")[0]).isEqualTo(expected.summary());
        assertThat(ended.get("observer-context.dcm")[1]).isEqualTo(expected.toJson());
    }

    @Test
    void aRefusedReportLeavesItsConversionReportWithTheReason() throws Exception {
        TestFolders.dropAtomically(INBOX, "nothing-to-map.dcm", ProducerFixtures.bytes("nothing-to-map"));
        await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(ERROR.resolve("nothing-to-map.dcm"))
                && ended.containsKey("nothing-to-map.dcm"));
        assertThat(ERROR.resolve("nothing-to-map.dcm.error.txt")).content().startsWith("nothing-to-map.dcm (SOP "
                + "Instance UID 2.25.10102): nothing to map: ").contains("kind: rejected").contains("retryable: no");
        JsonNode json = JSON.readTree(ended.get("nothing-to-map.dcm")[1]);
        assertThat(json.get("status").asText()).isEqualTo("rejected");
        assertThat(json.get("reason").asText()).startsWith("nothing to map: no Measurement Group");
        assertThat(json.get("notMapped")).hasSize(2);
        assertThat(ended.get("nothing-to-map.dcm")[0]).startsWith("nothing-to-map.dcm (SR 2.25.10102): rejected: ");
    }

    @Test
    void noPatientIdAndNoStudyYetGoesToErrorAtOnceAndIsDeliveredOnceTheStudyIsThere() throws Exception {
        double retried = meters.get("sr2fhir.reports.retried").counter().count();
        TestFolders.dropAtomically(INBOX, "later.dcm", ProducerFixtures.bytes("empty-patient-id-later-study"));
        Path failed = ERROR.resolve("later.dcm");
        Path reason = ERROR.resolve("later.dcm.error.txt");
        await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(failed) && Files.exists(reason));
        assertThat(reason).content().startsWith("later.dcm (SOP Instance UID 2.25.10110): no Patient ID (0010,0020), "
                        + "and the FHIR server has no ImagingStudy with Study Instance UID 2.25.10007")
                .contains("kind: rejected").contains("retryable: yes: the ImagingStudy may reach the FHIR server later");
        assertThat(meters.get("sr2fhir.reports.retried").counter().count()).as("not retried by itself").isEqualTo(retried);
        await().atMost(Duration.ofSeconds(10)).until(() -> ended.containsKey("later.dcm"));
        assertThat(JSON.readTree(ended.get("later.dcm")[1]).get("retryable").asBoolean()).isTrue();

        IGenericClient client = client();
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:sr2fhir:test").setValue("later-study-patient");
        String patientId = client.create().resource(patient).execute().getId().toUnqualifiedVersionless().getValue();
        ImagingStudy study = new ImagingStudy().setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
        study.addIdentifier().setSystem("urn:dicom:uid").setValue("urn:oid:2.25.10007");
        study.getSubject().setReference(patientId);
        client.create().resource(study).execute();

        Files.delete(reason);
        Files.move(failed, INBOX.resolve("later.dcm"), StandardCopyOption.ATOMIC_MOVE);
        await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(DONE.resolve("later.dcm")));
        DiagnosticReport delivered = (DiagnosticReport) client.search().forResource(DiagnosticReport.class)
                .where(DiagnosticReport.IDENTIFIER.exactly().systemAndIdentifier("urn:dicom:uid", "urn:oid:2.25.10110"))
                .returnBundle(Bundle.class).execute().getEntryFirstRep().getResource();
        assertThat(delivered.getSubject().getReference()).isEqualTo(patientId);
    }
}
