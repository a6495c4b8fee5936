package org.sr2fhir.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSendingEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.DiagnosticReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.Sr2FhirApplication;
import org.sr2fhir.config.DicomWebProperties;
import org.sr2fhir.fhir.ReportMapper;
import org.sr2fhir.dicomweb.camel.DicomWebHttp;
import org.sr2fhir.tid1500.MeasurementReport;
import org.sr2fhir.tid1500.ReportReader;
import org.sr2fhir.dicom.DicomDataset;
import org.sr2fhir.dicom.DicomReader;
import org.sr2fhir.dicom.Tag;
import org.sr2fhir.testserver.FhirTestServer;
import org.sr2fhir.tid1500.SopClass;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole product with the DICOMweb source against a real Orthanc (in its own network namespace, see
 * {@link OrthancServer}) and the real HAPI FHIR test server. The corpus is stored with storescu in three batches:
 * <ol>
 *   <li>batch 1: every TID 1500 SR in scope reaches the FHIR server exactly once (one DiagnosticReport per SR,
 *       decision D20) and is fetched once; in-scope SRs that are not TID 1500 are recorded as rejected;</li>
 *   <li>batch 2 stored later: only the new SRs are fetched;</li>
 *   <li>the route is restarted with its checkpoint re-read from disk: nothing is fetched again;</li>
 *   <li>Orthanc is stopped by its PID during polling: the route backs off, and when Orthanc returns with
 *       batch 3 it catches up, still fetching every SR exactly once.</li>
 * </ol>
 */
@CamelSpringBootTest
@SpringBootTest(classes = Sr2FhirApplication.class)
@Import(OrthancDicomWebIT.FetchCounter.class)
@DirtiesContext // its route polls an Orthanc and a FHIR server that are gone after this class
class OrthancDicomWebIT {
    private static final Logger LOG = LoggerFactory.getLogger(OrthancDicomWebIT.class);

    private static final Path SHARED = Path.of(System.getProperty("sr2fhir.shared.dir", "../shared"));
    private static final Path CORPUS = SHARED.resolve("corpus");
    private static final Path WORK;
    private static final OrthancServer ORTHANC;
    /** Corpus entries by file, from manifest.json: SOP Instance UID read here, TID 1500 per the manifest. */
    private static final List<CorpusFile> FILES;

    record CorpusFile(Path path, String sopInstanceUid, String sopClassUid, String modality, boolean tid1500,
                      boolean hasPatientId) {
        boolean listedByTheSource() {
            return "SR".equals(modality) && SopClass.isMeasurementReportClass(sopClassUid); // the default sop-classes
        }
    }

    static {
        try {
            WORK = Files.createTempDirectory("orthanc-dicomweb-it");
            FILES = readManifest();
            ORTHANC = OrthancServer.start(WORK.resolve("orthanc"));
            ORTHANC.store(paths(batch(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Batch 2 = the PixelMed files, batch 3 = the highdicom files, batch 1 = all the others. */
    private static List<CorpusFile> batch(int n) {
        Predicate<CorpusFile> two = f -> f.path().getFileName().toString().contains("pixelmed");
        Predicate<CorpusFile> three = f -> f.path().getFileName().toString().contains("highdicom");
        return FILES.stream().filter(switch (n) {
            case 1 -> two.negate().and(three.negate());
            case 2 -> two;
            default -> three;
        }).toList();
    }

    /**
     * A FHIR server of this test's own: it creates Patients and ImagingStudies for the whole corpus, which other
     * ITs sharing {@link FhirTestServer#shared()} expect not to exist.
     */
    private static FhirTestServer fhir;

    private static synchronized FhirTestServer fhirServer() {
        if (fhir == null) {
            fhir = FhirTestServer.launch(0);
        }
        return fhir;
    }

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("sr2fhir.fhir.url", () -> fhirServer().baseUrl());
        registry.add("sr2fhir.inbox.dir", () -> WORK.resolve("inbox").toString());
        registry.add("sr2fhir.inbox.done-dir", () -> WORK.resolve("done").toString());
        registry.add("sr2fhir.inbox.error-dir", () -> WORK.resolve("error").toString());
        registry.add("sr2fhir.delivery.delivered-store", () -> WORK.resolve("delivered.txt").toString());
        registry.add("camel.main.routes-reload-enabled", () -> "false");
        // the test FHIR server starts empty: let each bundle create its Patient and ImagingStudy (decision D3)
        registry.add("sr2fhir.linking.create-missing", () -> "true");
        registry.add("sr2fhir.dicomweb.enabled", () -> "true");
        registry.add("sr2fhir.dicomweb.url", () -> ORTHANC.dicomWebUrl().toString());
        registry.add("sr2fhir.dicomweb.poll-interval", () -> "500ms");
        registry.add("sr2fhir.dicomweb.max-backoff", () -> "2s");
        registry.add("sr2fhir.dicomweb.page-size", () -> "7"); // several QIDO pages per SOP class
        registry.add("sr2fhir.dicomweb.checkpoint-file", () -> WORK.resolve("checkpoint.jsonl").toString());
    }

    /**
     * Counts what is handed to the pipeline, per label (= SOP Instance UID + ".dcm"); the inbox of this test stays
     * empty, so every send comes from the DICOMweb route.
     */
    @TestConfiguration
    static class FetchCounter {
        static final Map<String, AtomicInteger> SENT = new ConcurrentHashMap<>();

        @Bean
        CamelContextConfiguration countSendsToThePipeline() {
            return new CamelContextConfiguration() {
                @Override
                public void beforeApplicationStart(CamelContext context) {
                    context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
                        @Override
                        public void notify(CamelEvent event) {
                            if (event instanceof ExchangeSendingEvent sending
                                    && sending.getEndpoint().getEndpointUri().startsWith("direct://sr-to-fhir")) {
                                String label = sending.getExchange().getMessage()
                                        .getHeader(Exchange.FILE_NAME, String.class);
                                SENT.computeIfAbsent(label, k -> new AtomicInteger()).incrementAndGet();
                            }
                        }
                    });
                }

                @Override
                public void afterApplicationStart(CamelContext context) {
                    // nothing: counting starts before the routes do
                }
            };
        }
    }

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate template;
    @Autowired
    DicomWebSource source;
    @Autowired
    ReportReader reportReader;
    @Autowired
    ReportMapper reportMapper;

    @AfterAll
    static void stopServers() {
        ORTHANC.close();
        if (fhir != null) {
            fhir.close();
        }
        try (Stream<Path> files = Files.walk(WORK)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyTid1500SrReachesTheFhirServerExactlyOnceAcrossNewArrivalsRestartAndOutage() throws Exception {
        // 1. the first batch
        awaitSettled(batch(1));
        assertDeliveredOnce(batch(1));

        // 2. new SRs arrive: only they are fetched
        ORTHANC.store(paths(batch(2)));
        awaitSettled(batch(2));
        assertDeliveredOnce(batch(1), batch(2));

        // 3. restart the route; the checkpoint is re-read from its file
        camel.getRouteController().stopRoute("dicomweb-to-fhir");
        source.close();
        camel.getRouteController().startRoute("dicomweb-to-fhir");
        Thread.sleep(3000); // several polls at 500 ms
        assertThat(source.checkpoint().deliveredCount()).isEqualTo(expectedDelivered(batch(1), batch(2)).size());
        assertDeliveredOnce(batch(1), batch(2));

        // 4. Orthanc goes away during polling: back off, then catch up with what arrived meanwhile
        ORTHANC.stopOrthanc();
        await().atMost(Duration.ofSeconds(30)).until(() -> source.backoff().consecutiveFailures() >= 3);
        ORTHANC.startOrthanc();
        ORTHANC.store(paths(batch(3)));
        awaitSettled(batch(3));
        assertThat(source.backoff().consecutiveFailures()).isZero();
        assertDeliveredOnce(batch(1), batch(2), batch(3));
    }

    /**
     * fetch-mode json: Orthanc's WADO-RS metadata of every SR it lists reads, through the same reader, into the same
     * report as the Part 10 instance (same groups, same FHIR resources). Both go through the application's
     * {@code direct:dicomweb-get} route (Camel's http component).
     */
    @Test
    void dicomJsonMetadataFromOrthancReadsLikeThePart10Instance() throws Exception {
        DicomWebHttp http = new DicomWebHttp(template);
        DicomWebClient part10Client = new DicomWebClient(settings(DicomWebProperties.FetchMode.PART10), http);
        DicomWebClient jsonClient = new DicomWebClient(settings(DicomWebProperties.FetchMode.JSON), http);
        int compared = 0;
        for (String sopClass : settings(DicomWebProperties.FetchMode.JSON).sopClasses()) {
            for (InstanceRef ref : jsonClient.searchInstances(sopClass, null)) {
                byte[] part10 = retrieve(part10Client, http, ref);
                byte[] json = retrieve(jsonClient, http, ref);
                assertThat(outcome(json, ref.sopInstanceUid() + ".json")).as(ref.sopInstanceUid())
                        .isEqualTo(outcome(part10, ref.sopInstanceUid() + ".dcm"));
                compared++;
            }
        }
        assertThat(compared).isGreaterThanOrEqualTo(20);
    }

    private static DicomWebProperties settings(DicomWebProperties.FetchMode mode) {
        return new DicomWebProperties(true, ORTHANC.dicomWebUrl(),
                new DicomWebProperties.Auth(DicomWebProperties.AuthType.NONE, null, null, null),
                Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(1), 50,
                List.of(SopClass.ENHANCED_SR, SopClass.COMPREHENSIVE_SR, SopClass.COMPREHENSIVE_3D_SR),
                mode, null, WORK.resolve("unused.jsonl"), 3);
    }

    private static byte[] retrieve(DicomWebClient client, DicomWebHttp http, InstanceRef ref) throws IOException {
        DicomWebClient.Retrieval retrieval = client.retrieval(ref);
        DicomWebClient.Response answer = http.get(retrieval.resource(), retrieval.accept());
        return client.unpack(retrieval, answer.contentType(), new ByteArrayInputStream(answer.body()));
    }

    /** What the pipeline makes of one input: its groups and the sorted types of its resources, or why it refused. */
    private String outcome(byte[] content, String label) {
        try {
            MeasurementReport report = reportReader.read(content, label);
            return report.sopInstanceUid() + ": " + report.measurementGroups().size() + " groups, "
                    + reportMapper.convert(report).getEntry().stream().map(e -> e.getResource().fhirType()).sorted()
                    .toList();
        } catch (InputRejectedException e) {
            return "rejected: " + e.reason();
        }
    }

    @SafeVarargs
    private void assertDeliveredOnce(List<CorpusFile>... batches) {
        Set<String> delivered = expectedDelivered(batches);
        Map<String, String> rejected = new LinkedHashMap<>();
        Stream.of(batches).flatMap(List::stream).filter(CorpusFile::listedByTheSource).forEach(f -> {
            if (!f.tid1500()) {
                rejected.put(f.sopInstanceUid(), "TID 1500"); // decision D1
            } else if (!f.hasPatientId()) {
                rejected.put(f.sopInstanceUid(), "Patient ID"); // decision D3
            }
        });
        assertThat(delivered).isNotEmpty();
        // the route handed each SR to the pipeline exactly once
        Set<String> expectedLabels = Stream.concat(delivered.stream(), rejected.keySet().stream())
                .map(uid -> uid + ".dcm").collect(Collectors.toSet());
        assertThat(FetchCounter.SENT).containsOnlyKeys(expectedLabels)
                .allSatisfy((label, count) -> assertThat(count.get()).as(label).isEqualTo(1));
        // the checkpoint agrees, with a reason for each rejection
        delivered.forEach(uid -> assertThat(source.checkpoint().isDelivered(uid)).as(uid).isTrue());
        assertThat(source.checkpoint().rejected()).containsOnlyKeys(rejected.keySet()).allSatisfy((uid, reason) ->
                assertThat(reason).as(uid).contains(rejected.get(uid)));
        // and the FHIR server holds exactly one DiagnosticReport per SR (decision D20, identifier per D14)
        IGenericClient client = FhirContext.forR5Cached().newRestfulGenericClient(fhirServer().baseUrl());
        for (String uid : delivered) {
            Bundle found = client.search().forResource(DiagnosticReport.class)
                    .where(DiagnosticReport.IDENTIFIER.exactly().systemAndIdentifier("urn:dicom:uid", "urn:oid:" + uid))
                    .returnBundle(Bundle.class).execute();
            assertThat(found.getEntry()).as("DiagnosticReports for SR " + uid).hasSize(1);
        }
        LOG.info("{} TID 1500 SRs on the FHIR server once each, {} SRs rejected with their reason",
                delivered.size(), rejected.size());
    }

    @SafeVarargs
    private static Set<String> expectedDelivered(List<CorpusFile>... batches) {
        return Stream.of(batches).flatMap(List::stream)
                .filter(f -> f.listedByTheSource() && f.tid1500() && f.hasPatientId())
                .map(CorpusFile::sopInstanceUid).collect(Collectors.toSet());
    }

    private void awaitSettled(List<CorpusFile> batch) {
        Set<String> uids = batch.stream().filter(CorpusFile::listedByTheSource).map(CorpusFile::sopInstanceUid)
                .collect(Collectors.toSet());
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                .until(() -> uids.stream().allMatch(uid -> source.checkpoint().isSettled(uid)));
    }

    private static List<Path> paths(List<CorpusFile> files) {
        return files.stream().map(CorpusFile::path).toList();
    }

    /** Every SR of the corpus (sr/ and sr/nonconformant/), in manifest order. */
    private static List<CorpusFile> readManifest() throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(CORPUS.resolve("manifest.json").toFile());
        DicomReader reader = new DicomReader();
        Map<Path, CorpusFile> files = new LinkedHashMap<>();
        for (JsonNode entry : manifest) {
            String file = entry.path("file").asText();
            if (!file.startsWith("sr/") || !file.endsWith(".dcm")) {
                continue;
            }
            Path path = CORPUS.resolve(file);
            DicomDataset dataset;
            try {
                dataset = reader.read(Files.readAllBytes(path), file);
            } catch (InputRejectedException e) {
                throw new IllegalStateException("corpus file unreadable: " + e.getMessage(), e);
            }
            files.put(path, new CorpusFile(path, dataset.getString(Tag.SOPInstanceUID),
                    entry.path("analysis").path("sop_class_uid").asText(),
                    entry.path("analysis").path("modality").asText(), entry.path("tid1500").asBoolean(),
                    dataset.getString(Tag.PatientID) != null));
        }
        assertThat(files).hasSizeGreaterThan(50);
        return List.copyOf(files.values());
    }
}
