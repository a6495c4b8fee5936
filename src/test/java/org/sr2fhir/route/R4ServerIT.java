package org.sr2fhir.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.Sr2FhirApplication;
import org.sr2fhir.fhir.ReportContext;
import org.sr2fhir.fhir.ReportMapper;
import org.sr2fhir.fhirclient.FhirServer;
import org.sr2fhir.fhirclient.ServerStudySubjects;
import org.sr2fhir.r4.R4Renderer;
import org.sr2fhir.testserver.FhirTestServer;
import org.sr2fhir.tid1500.MeasurementReport;
import org.sr2fhir.tid1500.ReportCorpus;
import org.sr2fhir.tid1500.ReportReader;

/**
 * Issue 11 against a real HAPI FHIR JPA <b>R4</b> server of this class's own, with no version setting (auto): the
 * route finds R4 in the server's CapabilityStatement and delivers the whole corpus once, as R4 (ImagingSelections as
 * xver Basic); the server holds exactly the resources the R4 Bundles describe. Dropped again, nothing is added. A
 * report of more than 500 entries is split at 500 (D6, D42) and arrives whole.
 */
@CamelSpringBootTest
@SpringBootTest(classes = Sr2FhirApplication.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class R4ServerIT {
    private static final FhirTestServer SERVER = FhirTestServer.launch(0, FhirVersionEnum.R4);
    private static final Path WORK = TestFolders.create("r4-server-it");
    private static final Path INBOX = WORK.resolve("inbox");
    private static final Path DONE = WORK.resolve("done");
    private static final Path ERROR = WORK.resolve("error");
    private static final int LIMIT = 500;
    /** The big report: the dcmqi example with its measurement group repeated, to exceed {@link #LIMIT} entries. */
    private static final String BIG = "big-report.json";

    private final IGenericClient client = FhirContext.forR4Cached().newRestfulGenericClient(SERVER.baseUrl());

    @Autowired
    private MeterRegistry meters;
    @Autowired
    private FhirServer fhirServer;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("sr2fhir.fhir.url", SERVER::baseUrl);
        TestFolders.registerInboxFolders(registry, WORK);
        registry.add("camel.main.routes-reload-enabled", () -> "false");
        registry.add("sr2fhir.linking.create-missing", () -> "true");
        // R4 validity is proven by R4CorpusValidationIT; here the delivery
        registry.add("sr2fhir.validation.mode", () -> "off");
        registry.add("sr2fhir.fhir.max-entries-per-bundle", () -> String.valueOf(LIMIT));
    }

    @AfterAll
    static void stopServer() {
        SERVER.close();
    }

    @Test
    @Order(1)
    void theCorpusIsDeliveredOnceAsR4() throws Exception {
        assertThat(fhirServer.version()).isEqualTo(FhirVersionEnum.R4);
        Map<String, Path> inputs = inputs();
        Expected expected = expected(inputs);
        assertThat(expected.deliverable()).hasSizeGreaterThan(40);
        for (Map.Entry<String, Path> input : inputs.entrySet()) {
            TestFolders.dropAtomically(INBOX, input.getKey(), Files.readAllBytes(input.getValue()));
        }
        awaitInboxEmpty(Duration.ofMinutes(8));
        assertThat(names(DONE)).isEqualTo(expected.deliverable());
        assertThat(onServer(expected.counts().keySet())).isEqualTo(expected.counts());
        assertThat(expected.counts()).containsKey("Basic").doesNotContainKey("ImagingSelection");
        // the selections are the xver Basic, found by their DICOM code (decision D37)
        Bundle segments = client.search().byUrl("Basic?code=http://dicom.nema.org/resources/ontology/DCM|121191")
                .returnBundle(Bundle.class).execute();
        assertThat(segments.getEntry()).isNotEmpty().allSatisfy(e ->
                assertThat(R4Renderer.isSelectionCarrier(e.getResource())).isTrue());
    }

    @Test
    @Order(2)
    void droppedAgainNothingIsAdded() throws Exception {
        Map<String, Path> inputs = inputs();
        Expected expected = expected(inputs);
        double delivered = meters.get("sr2fhir.reports.delivered").counter().count();
        for (String name : expected.deliverable()) {
            TestFolders.dropAtomically(INBOX, "again-" + name, Files.readAllBytes(inputs.get(name)));
        }
        awaitInboxEmpty(Duration.ofMinutes(3));
        assertThat(meters.get("sr2fhir.reports.delivered").counter().count()).isEqualTo(delivered);
        assertThat(onServer(expected.counts().keySet())).isEqualTo(expected.counts());
        // the same report with other bytes is sent again (PUT, deterministic ids): still nothing added
        String json = expected.deliverable().stream().filter(n -> n.endsWith(".json")).findFirst().orElseThrow();
        byte[] original = Files.readAllBytes(inputs.get(json));
        byte[] changed = java.util.Arrays.copyOf(original, original.length + 1);
        changed[original.length] = '\n';
        Files.delete(DONE.resolve(json));
        TestFolders.dropAtomically(INBOX, json, changed);
        await().atMost(Duration.ofMinutes(1)).until(() -> Files.exists(DONE.resolve(json)));
        assertThat(meters.get("sr2fhir.reports.delivered").counter().count()).isEqualTo(delivered + 1);
        assertThat(onServer(expected.counts().keySet())).isEqualTo(expected.counts());
    }

    @Test
    @Order(3)
    void aReportSplitAt500EntriesArrivesWhole() throws Exception {
        byte[] big = bigReport();
        MeasurementReport report = new ReportReader().read(big, BIG);
        ReportMapper mapper = new ReportMapper(ExpectedResources.CREATE_MISSING);
        ReportContext context = mapper.context(report);
        List<org.hl7.fhir.r5.model.Bundle> parts = mapper.assembleParts(context,
                report.measurementGroups().stream().map(g -> mapper.mapGroup(context, g)).toList(), LIMIT);
        assertThat(parts).hasSizeGreaterThan(1).allSatisfy(p -> assertThat(p.getEntry()).hasSizeLessThanOrEqualTo(LIMIT));
        Map<String, Integer> before = onServer(List.of("Observation", "Basic", "DiagnosticReport"));
        TestFolders.dropAtomically(INBOX, BIG, big);
        await().atMost(Duration.ofMinutes(3)).until(() -> Files.exists(DONE.resolve(BIG)));
        Map<String, TreeSet<String>> urls = new TreeMap<>();
        new R4Renderer().render(parts).forEach(p -> p.getEntry().forEach(e -> urls.computeIfAbsent(
                e.getResource().fhirType(), t -> new TreeSet<>()).add(e.getRequest().getUrl())));
        Map<String, Integer> after = onServer(List.of("Observation", "Basic", "DiagnosticReport"));
        for (String type : after.keySet()) {
            assertThat(after.get(type) - before.get(type)).as(type).isEqualTo(urls.getOrDefault(type, new TreeSet<>()).size());
        }
        // every Observation of the report is on the server, the last part's DiagnosticReport included
        for (String url : urls.get("Observation")) {
            assertThat(client.read().resource(Observation.class).withUrl(url).execute().getIdElement().getIdPart())
                    .isEqualTo(url.substring(url.indexOf('/') + 1));
        }
        assertThat(urls.get("DiagnosticReport")).hasSize(1);
        String basic = urls.get("Basic").first();
        assertThat(client.read().resource(Basic.class).withUrl(basic).execute().getMeta().getProfile()).isNotEmpty();
    }

    /** The dcmqi example (DICOM JSON) with its one measurement group repeated 80 times: 2007 entries. */
    private static byte[] bigReport() throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode dataset = json.readTree(ReportCorpus.ROOT.resolve("json/ext_dcmqi_sr-example_sr.json").toFile());
        JsonNode root = dataset.isArray() ? dataset.get(0) : dataset;
        // a report of its own (SOP Instance UID), so none of its resources is on the server yet (ids: D5)
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.path("00080018")).putArray("Value").add("2.25.1100110011");
        for (JsonNode item : root.path("0040A730").path("Value")) {
            if ("126010".equals(item.path("0040A043").path("Value").path(0).path("00080100").path("Value").path(0).asText())) {
                ArrayNode groups = (ArrayNode) item.path("0040A730").path("Value");
                JsonNode group = groups.get(0);
                for (int i = 1; i < 80; i++) {
                    groups.add(group.deepCopy());
                }
            }
        }
        return json.writeValueAsBytes(dataset);
    }

    private record Expected(TreeSet<String> deliverable, Map<String, Integer> counts) {
    }

    /** The route's R4 Bundles computed outside Camel: distinct PUT URLs / conditional creates per R4 type. */
    private Expected expected(Map<String, Path> inputs) throws IOException {
        ReportReader reader = new ReportReader();
        ReportMapper mapper = new ReportMapper(ExpectedResources.CREATE_MISSING,
                new ServerStudySubjects(FhirContext.forR5Cached().newRestfulGenericClient(SERVER.baseUrl())));
        R4Renderer renderer = new R4Renderer();
        TreeSet<String> deliverable = new TreeSet<>();
        Map<String, TreeSet<String>> byType = new TreeMap<>();
        for (Map.Entry<String, Path> input : inputs.entrySet()) {
            Bundle bundle;
            try {
                bundle = renderer.render(mapper.convert(reader.read(Files.readAllBytes(input.getValue()), input.getKey())));
            } catch (InputRejectedException e) {
                continue;
            }
            deliverable.add(input.getKey());
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                String type = entry.getResource().fhirType();
                byType.computeIfAbsent(type, t -> new TreeSet<>()).add(entry.getRequest().hasIfNoneExist()
                        ? type + "?" + entry.getRequest().getIfNoneExist() : entry.getRequest().getUrl());
            }
        }
        Map<String, Integer> counts = new TreeMap<>();
        byType.forEach((type, urls) -> counts.put(type, urls.size()));
        return new Expected(deliverable, counts);
    }

    private Map<String, Integer> onServer(java.util.Collection<String> types) {
        Map<String, Integer> totals = new TreeMap<>();
        for (String type : types) {
            // no-cache: HAPI reuses an identical search's results for a minute
            totals.put(type, client.search().forResource(type).summaryMode(SummaryEnum.COUNT)
                    .cacheControl(new CacheControlDirective().setNoCache(true))
                    .returnBundle(Bundle.class).execute().getTotal());
        }
        return totals;
    }

    private static Map<String, Path> inputs() {
        Map<String, Path> inputs = new TreeMap<>();
        for (Path file : ReportCorpus.files()) {
            inputs.put(ReportCorpus.name(file).replace('/', '_'), file);
        }
        return inputs;
    }

    private static void awaitInboxEmpty(Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofSeconds(1)).until(() -> names(INBOX).isEmpty());
    }

    private static TreeSet<String> names(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return new TreeSet<>();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString())
                    .filter(name -> !name.startsWith(".")).collect(TreeSet::new, TreeSet::add, TreeSet::addAll);
        }
    }
}
