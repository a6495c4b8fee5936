package org.sr2fhir.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.DiagnosticReport;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.ImagingStudy;
import org.hl7.fhir.r5.model.Observation;
import org.hl7.fhir.r5.model.Patient;
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
import org.sr2fhir.fhir.ReportMapper;
import org.sr2fhir.fhirclient.ServerStudySubjects;
import org.sr2fhir.testserver.FhirTestServer;
import org.sr2fhir.journal.JournalEntry;
import org.sr2fhir.journal.JournalQuery;
import org.sr2fhir.journal.ReportJournal;
import org.sr2fhir.journal.ReportSource;
import org.sr2fhir.journal.ReportStatus;
import org.sr2fhir.tid1500.ReportCorpus;
import org.sr2fhir.tid1500.ReportReader;

/**
 * Issue 6, exactly once through the inbox route, against a HAPI FHIR R5 server of this class's own (so its counts
 * are this test's): the whole corpus arrives while the server is down and comes up 30 s later; every report is
 * committed, rejected inputs go to error/ as not retryable, and the server holds exactly the resources the bundles
 * describe. Dropped again under other names, nothing is sent and the server is unchanged; a changed file under an old
 * name is sent. Reports without a Patient ID (decision D26): those of the study the server holds (seeded here, as a
 * PACS-fed server would) are delivered with its Patient; those of studies it does not hold go to error/ at once,
 * marked retryable.
 */
@CamelSpringBootTest
@SpringBootTest(classes = Sr2FhirApplication.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExactlyOnceIT {
    private static final FhirTestServer SERVER = FhirTestServer.launch(0);
    private static final Path WORK = TestFolders.create("exactly-once-it");
    private static final Path INBOX = WORK.resolve("inbox");
    private static final Path DONE = WORK.resolve("done");
    private static final Path ERROR = WORK.resolve("error");
    /** inbox name -> corpus file; names carry the corpus folder, since sr/ and json/ share base names */
    private static final Map<String, Path> INPUTS = inputs();
    /** The study of the corpus's dcmjs Cornerstone exports, which carry no Patient ID (D26). */
    private static final String NO_PATIENT_ID_STUDY = "2.25.90684186633609954763799563220968600";
    /** The server's Patient and ImagingStudy for that study, before any report arrives. */
    private static final Bundle SEED = seed();

    private final IGenericClient client = FhirContext.forR5Cached().newRestfulGenericClient(SERVER.baseUrl());

    @Autowired
    private MeterRegistry meters;
    @Autowired
    private ReportJournal journal;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("sr2fhir.fhir.url", SERVER::baseUrl);
        TestFolders.registerInboxFolders(registry, WORK);
        registry.add("sr2fhir.delivery.max-backoff", () -> "8s");
        registry.add("camel.main.routes-reload-enabled", () -> "false");
        registry.add("sr2fhir.linking.create-missing", () -> "true");
        registry.add("sr2fhir.validation.mode", () -> "off");
    }

    @AfterAll
    static void stopServer() {
        SERVER.close();
    }

    @Test
    @Order(1)
    void corpusArrivingWhileTheServerIsDownIsDeliveredOnceItIsBack() throws Exception {
        client.transaction().withBundle(SEED).execute();
        Expected expected = expected(INPUTS);
        assertThat(expected.deliverable()).hasSizeGreaterThan(40);
        assertThat(expected.waitingForStudy()).hasSize(6);

        SERVER.stop();
        for (Map.Entry<String, Path> input : INPUTS.entrySet()) {
            TestFolders.dropAtomically(INBOX, input.getKey(), Files.readAllBytes(input.getValue()));
        }
        Thread.sleep(30_000);
        assertThat(DONE).satisfiesAnyOf(done -> assertThat(done).doesNotExist(), done -> assertThat(done).isEmptyDirectory());
        SERVER.start();

        awaitInboxEmpty(Duration.ofMinutes(6));
        assertThat(names(DONE)).isEqualTo(expected.deliverable());
        TreeSet<String> failed = new TreeSet<>(expected.rejected());
        failed.addAll(expected.waitingForStudy());
        assertThat(names(ERROR)).isEqualTo(withErrorFiles(failed));
        for (String rejected : expected.rejected()) {
            assertThat(ERROR.resolve(rejected + ".error.txt")).content()
                    .contains("kind: rejected").contains("retryable: no");
        }
        for (String waiting : expected.waitingForStudy()) {
            assertThat(ERROR.resolve(waiting + ".error.txt")).content().contains("has no ImagingStudy")
                    .contains("kind: rejected").contains("retryable: yes");
        }
        assertThat(expected.resources().onServer(client)).isEqualTo(expected.resources().counts());
        for (String uid : expected.srInstanceUids()) {
            assertThat(search("DiagnosticReport?identifier=urn:dicom:uid|urn:oid:" + uid).getTotal()).as(uid).isEqualTo(1);
        }
        // tracking identifiers may repeat across groups and reports (the same lesion followed up): a search finds
        // exactly the Observations that carry the identifier
        expected.observationsByIdentifier().forEach((identifier, observations) -> assertThat(client.search()
                .forResource(Observation.class)
                .where(Observation.IDENTIFIER.exactly().systemAndIdentifier(identifier.getSystem(), identifier.getValue()))
                .count(1000).returnBundle(Bundle.class).execute().getEntry()).as(identifier.getValue()).hasSize(observations.size()));
        assertThat(meters.get("sr2fhir.reports.retried").counter().count()).isPositive();

        // the journal (issue 12): one row per corpus file with its final status; of corpus files with the same bytes
        // one is delivered, the others are skipped as duplicates; the outage shows as retries
        Map<String, JournalEntry> rows = journalRows();
        assertThat(rows.keySet()).isEqualTo(INPUTS.keySet());
        rows.forEach((name, row) -> {
            // a report waiting for its study (decision D26) is a rejection that may pass later: failed-retryable
            assertThat(row.status()).as(name).isIn(expected.deliverable().contains(name)
                    ? Set.of(ReportStatus.DELIVERED, ReportStatus.SKIPPED_DUPLICATE)
                    : expected.waitingForStudy().contains(name) ? Set.of(ReportStatus.FAILED_RETRYABLE)
                    : Set.of(ReportStatus.REJECTED));
            assertThat(row.source()).isEqualTo(ReportSource.INBOX);
            assertThat(row.finishedAt()).as(name).isNotNull();
        });
        expected.rejected().forEach(name -> assertThat(rows.get(name).reason()).as(name).isNotBlank());
        Map<String, List<String>> sameContent = new TreeMap<>();
        for (String name : expected.deliverable()) {
            sameContent.computeIfAbsent(sha256(INPUTS.get(name)), hash -> new ArrayList<>()).add(name);
        }
        sameContent.values().forEach(names -> assertThat(names).as("same bytes").filteredOn(name ->
                rows.get(name).status() == ReportStatus.DELIVERED).hasSize(1));
        rows.values().stream().filter(row -> row.status() == ReportStatus.DELIVERED).forEach(row -> {
            assertThat(row.srUid()).as(row.sourceName()).isNotBlank();
            assertThat(row.entries()).as(row.sourceName()).isPositive();
            assertThat(row.reason()).as(row.sourceName()).isNull();
        });
        assertThat(rows.values()).anySatisfy(row -> assertThat(row.attempts()).isGreaterThan(1));
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, JournalEntry> journalRows() {
        Map<String, JournalEntry> rows = new TreeMap<>();
        journal.search(new JournalQuery(null, null, null, null, null, 500)).forEach(row -> rows.put(row.sourceName(), row));
        return rows;
    }

    @Test
    @Order(2)
    void sameFilesUnderOtherNamesAddNothing() throws Exception {
        Expected expected = expected(INPUTS);
        double delivered = deliveredCount();
        for (Map.Entry<String, Path> input : INPUTS.entrySet()) {
            if (expected.deliverable().contains(input.getKey())) {
                TestFolders.dropAtomically(INBOX, "again-" + input.getKey(), Files.readAllBytes(input.getValue()));
            }
        }
        awaitInboxEmpty(Duration.ofMinutes(2));
        assertThat(deliveredCount()).as("reports sent again").isEqualTo(delivered);
        assertThat(names(DONE)).hasSize(2 * expected.deliverable().size());
        assertThat(expected.resources().onServer(client)).isEqualTo(expected.resources().counts());
        Map<String, JournalEntry> rows = journalRows();
        expected.deliverable().forEach(name ->
                assertThat(rows.get("again-" + name).status()).as(name).isEqualTo(ReportStatus.SKIPPED_DUPLICATE));
    }

    @Test
    @Order(3)
    void changedContentUnderAnOldNameIsSent() throws Exception {
        Expected expected = expected(INPUTS);
        String oldName = expected.deliverable().stream().filter(name -> name.endsWith(".json")).findFirst().orElseThrow();
        // the same report with other bytes: a trailing newline means nothing to a JSON reader
        byte[] original = Files.readAllBytes(INPUTS.get(oldName));
        byte[] changed = Arrays.copyOf(original, original.length + 1);
        changed[original.length] = '\n';
        double delivered = deliveredCount();
        Files.delete(DONE.resolve(oldName));
        TestFolders.dropAtomically(INBOX, oldName, changed);
        await().atMost(Duration.ofMinutes(1)).until(() -> Files.exists(DONE.resolve(oldName)));
        assertThat(deliveredCount()).isEqualTo(delivered + 1);
        assertThat(expected.resources().onServer(client)).isEqualTo(expected.resources().counts());
    }

    private double deliveredCount() {
        return meters.get("sr2fhir.reports.delivered").counter().count();
    }

    private static void awaitInboxEmpty(Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofSeconds(1)).until(() -> names(INBOX).isEmpty());
    }

    private Bundle search(String query) {
        return client.search().byUrl(query).returnBundle(Bundle.class).execute();
    }

    /**
     * What the route must produce: computed with the same reader and mapper, outside Camel (the study look-up of D26
     * against the same server); {@code waitingForStudy}: refused until the server holds their study.
     */
    private record Expected(TreeSet<String> deliverable, TreeSet<String> rejected, TreeSet<String> waitingForStudy,
                            Set<String> srInstanceUids, Map<Identifier, Set<String>> observationsByIdentifier,
                            ExpectedResources resources) {
    }

    private Expected expected(Map<String, Path> inputs) throws IOException {
        ReportReader reader = new ReportReader();
        ReportMapper mapper = new ReportMapper(ExpectedResources.CREATE_MISSING, new ServerStudySubjects(client));
        TreeSet<String> deliverable = new TreeSet<>();
        TreeSet<String> rejected = new TreeSet<>();
        TreeSet<String> waitingForStudy = new TreeSet<>();
        Set<String> uids = new TreeSet<>();
        Map<String, Identifier> identifiers = new LinkedHashMap<>();
        Map<Identifier, Set<String>> observationsByIdentifier = new LinkedHashMap<>();
        ExpectedResources resources = new ExpectedResources();
        resources.add(SEED);
        for (Map.Entry<String, Path> input : inputs.entrySet()) {
            Bundle bundle;
            try {
                bundle = mapper.convert(reader.read(Files.readAllBytes(input.getValue()), input.getKey()));
            } catch (InputRejectedException e) {
                (e.retryHint() == null ? rejected : waitingForStudy).add(input.getKey());
                continue;
            }
            deliverable.add(input.getKey());
            resources.add(bundle);
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                if (entry.getResource() instanceof DiagnosticReport report) {
                    uids.add(report.getIdentifierFirstRep().getValue().substring("urn:oid:".length()));
                }
                if (entry.getResource() instanceof Observation observation) {
                    for (Identifier id : observation.getIdentifier()) {
                        Identifier known = identifiers.computeIfAbsent(id.getSystem() + "|" + id.getValue(), k -> id);
                        observationsByIdentifier.computeIfAbsent(known, k -> new TreeSet<>()).add(entry.getRequest().getUrl());
                    }
                }
            }
        }
        return new Expected(deliverable, rejected, waitingForStudy, uids, observationsByIdentifier, resources);
    }

    /** A conditional create of the Patient and ImagingStudy of {@link #NO_PATIENT_ID_STUDY}. */
    private static Bundle seed() {
        Bundle seed = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:sr2fhir:test").setValue("dcmjs-cornerstone-patient");
        seed.addEntry().setFullUrl("urn:uuid:5e3d0c2a-6f0e-4a39-9b7e-0c1f3b5d7a01").setResource(patient).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl("Patient")
                .setIfNoneExist("identifier=urn:sr2fhir:test|dcmjs-cornerstone-patient");
        ImagingStudy study = new ImagingStudy().setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
        study.addIdentifier().setSystem("urn:dicom:uid").setValue("urn:oid:" + NO_PATIENT_ID_STUDY);
        study.getSubject().setReference("urn:uuid:5e3d0c2a-6f0e-4a39-9b7e-0c1f3b5d7a01");
        seed.addEntry().setFullUrl("urn:uuid:5e3d0c2a-6f0e-4a39-9b7e-0c1f3b5d7a02").setResource(study).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl("ImagingStudy")
                .setIfNoneExist("identifier=urn:dicom:uid|urn:oid:" + NO_PATIENT_ID_STUDY);
        return seed;
    }

    private static Map<String, Path> inputs() {
        Map<String, Path> inputs = new TreeMap<>();
        for (Path file : ReportCorpus.files()) {
            inputs.put(ReportCorpus.name(file).replace('/', '_'), file);
        }
        return inputs;
    }

    private static TreeSet<String> withErrorFiles(Set<String> names) {
        TreeSet<String> all = new TreeSet<>(names);
        names.forEach(name -> all.add(name + ".error.txt"));
        return all;
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
