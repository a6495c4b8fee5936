package org.sr2fhir.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.DiagnosticReport;
import org.hl7.fhir.r5.model.Observation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sr2fhir.fhir.ReportMapper;
import org.sr2fhir.inbox.InboxNames;
import org.sr2fhir.testserver.FhirTestServer;
import org.sr2fhir.tid1500.ReportReader;

/**
 * Issue 14 on the real product (the jar in a child JVM, a real signal, a real HAPI server): a stop during a retry is
 * quick and leaves the input with its reason (D54); a 2 GiB file, a 250-byte name and a deflate bomb do not stop the
 * inbox (D48, D49, D51) at {@code -Xmx256m} with validation off; a DS {@code 1E999999999} never reaches the server
 * (D45), while the corpus batch (one file per SR that converts) is delivered beside them at that heap; and planted
 * patient name, ID and birth date appear in nothing sr2fhir writes, console included (D47), for inputs delivered,
 * rejected, refused by the server and failed.
 */
class HostileProcessIT {
    private static final Path JSON_CORPUS = Path.of(System.getProperty("sr2fhir.shared.dir", "../shared"), "corpus",
            "json");
    private static final String BASE = "ext_highdicom_sr_document_with_multiple_groups.json";
    private static final String NAME = "Plantedfamily^Plantedgiven";
    private static final String KNOWN_ID = "PHI-67890";
    private static final String UNKNOWN_ID = "PHI-67891";
    private static final String BIRTH_DATE = "19230213";
    private static final String BAD_BIRTH_DATE = "19230231";
    private static final List<String> PLANTED = List.of("plantedfamily", "plantedgiven", "phi-67890", "phi-67891",
            "19230213", "1923-02-13", "19230231", "1923-02-31");
    private static final String SECRET = "planted-secret-token-4711";
    private static final String LONG_NAME = "n".repeat(246) + ".dcm";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Process> children = new ArrayList<>();
    private final Path work = TestFolders.create("hostile-process-it");
    private FhirTestServer server;

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (Process child : children) {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sigtermDuringARetryStopsWithinTenSecondsAndLeavesTheInputWithItsReason() throws Exception {
        // nothing listens there: every attempt fails as "not reachable" and is retried
        String deadServer = "http://127.0.0.1:" + freePort() + "/fhir";
        Process child = start("retrying", "-Xmx512m", deadServer, "--sr2fhir.delivery.initial-backoff=20s",
                "--sr2fhir.validation.mode=off");
        Path inbox = Files.createDirectories(work.resolve("inbox"));
        TestFolders.dropAtomically(inbox, "failing.json", planted(KNOWN_ID, BIRTH_DATE, "2.25.1401", false));
        Path log = ProductProcess.log(work, "retrying");
        await().atMost(Duration.ofSeconds(120)).until(() -> Files.readString(log).contains("retrying failing.json"));

        long start = System.nanoTime();
        child.destroy(); // SIGTERM
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("stopped within 10 s, see %s", log).isTrue();
        long stoppedIn = (System.nanoTime() - start) / 1_000_000;

        Path errorFile = work.resolve("error").resolve("failing.json.error.txt");
        boolean backInInbox = Files.exists(inbox.resolve("failing.json"));
        assertThat(backInInbox || Files.exists(errorFile)).as("input in the inbox or in error/ with its reason")
                .isTrue();
        if (!backInInbox) {
            assertThat(work.resolve("error").resolve("failing.json")).exists();
            assertThat(Files.readString(errorFile)).contains("kind: server-unreachable").contains("retryable: yes")
                    .contains("stopped");
        }
        System.out.println("SIGTERM during a retry: stopped in " + stoppedIn + " ms, input "
                + (backInInbox ? "back in the inbox" : "in error/ with its reason"));
        assertNoPlantedValue();
    }

    @Test
    void hostileInputsNeitherStopTheInboxNorLeakPatientDataAtASmallHeap() throws Exception {
        server = FhirTestServer.launch(0);
        FhirContext context = FhirContext.forR5Cached();
        // a freshly launched test server answers its first requests slowly on a loaded machine
        context.getRestfulClientFactory().setSocketTimeout(180_000);
        IGenericClient client = context.newRestfulGenericClient(server.baseUrl());
        byte[] valid = planted(KNOWN_ID, BIRTH_DATE, "2.25.1402", false);
        // the server knows the valid report's Patient and study (sr2fhir only references them: create-missing off),
        // and those of the corpus batch (one file per SR that converts); the same report without a known Patient is
        // refused by the server
        ReportMapper createMissing = new ReportMapper(ExpectedResources.CREATE_MISSING);
        client.transaction().withBundle(createMissing.convert(new ReportReader().read(valid, "valid.json"))).execute();
        List<ReportBatch.Report> corpus = ReportBatch.fromCorpus();
        for (ReportBatch.Report report : corpus) {
            client.transaction().withBundle(report.bundle()).execute();
        }
        List<String> corpusNames = corpus.stream().map(ReportBatch.Report::name).toList();
        org.sr2fhir.privacy.Redaction.forgetAll(); // this JVM read the planted values; the child must not see them

        Path inbox = Files.createDirectories(work.resolve("inbox"));
        try (RandomAccessFile huge = new RandomAccessFile(inbox.resolve("huge.dcm").toFile(), "rw")) {
            huge.setLength(2L << 30); // sparse: no disk used
        }
        Files.write(inbox.resolve(LONG_NAME), "not DICOM".getBytes(StandardCharsets.US_ASCII));
        TestFolders.dropAtomically(inbox, "bomb.dcm", deflateBomb(250 << 20));
        TestFolders.dropAtomically(inbox, "rejected.json", planted(KNOWN_ID, BAD_BIRTH_DATE, "2.25.1403", true));
        TestFolders.dropAtomically(inbox, "refused.json", planted(UNKNOWN_ID, BAD_BIRTH_DATE, "2.25.1404", false));
        TestFolders.dropAtomically(inbox, "huge-number.json", withNumber(planted(KNOWN_ID, BIRTH_DATE, "2.25.1405",
                false), "1E999999999"));
        TestFolders.dropAtomically(inbox, "valid.json", valid);
        for (ReportBatch.Report report : corpus) {
            TestFolders.dropAtomically(inbox, report.name(), report.content());
        }

        // the HTTP client's DEBUG header log would print the bearer token (decision D47 masks it)
        Process child = start("small-heap", "-Xmx256m", server.baseUrl(), "--sr2fhir.validation.mode=off",
                "--sr2fhir.fhir.bearer-token=" + SECRET, "--logging.level.org.apache.http.headers=DEBUG");
        Path done = work.resolve("done");
        Path error = work.resolve("error");
        String shortened = InboxNames.fitting(LONG_NAME, InboxNames.ERROR_SUFFIX);
        List<String> expectedErrors = List.of("huge.dcm", shortened, "bomb.dcm", "rejected.json", "refused.json");
        await().atMost(Duration.ofSeconds(300)).until(() -> !child.isAlive() || expectedErrors.stream()
                .allMatch(n -> Files.exists(error.resolve(n + ".error.txt")))
                && Stream.concat(Stream.of("valid.json", "huge-number.json"), corpusNames.stream())
                .allMatch(n -> Files.exists(done.resolve(n))));
        assertThat(child.isAlive()).as("see %s", ProductProcess.log(work, "small-heap")).isTrue();

        assertThat(Files.readString(error.resolve("huge.dcm.error.txt"))).contains("it was not read");
        assertThat(Files.readString(error.resolve(shortened + ".error.txt"))).contains("file: " + LONG_NAME);
        assertThat(Files.readString(error.resolve("bomb.dcm.error.txt"))).contains("inflates to more than")
                .contains("kind: rejected");
        assertThat(Files.readString(error.resolve("rejected.json.error.txt"))).contains("document title");
        assertThat(Files.readString(error.resolve("refused.json.error.txt"))).contains("kind: refused-by-server")
                .contains("Patient?identifier=[redacted]");
        String log = Files.readString(ProductProcess.log(work, "small-heap"));
        assertThat(log).doesNotContain("OutOfMemoryError").doesNotContain(SECRET)
                .contains("Authorization: Bearer [masked]");

        // decision D45: the server holds the measurement as data-absent, never the number
        Bundle stored = client.search().forResource(DiagnosticReport.class)
                .where(DiagnosticReport.IDENTIFIER.exactly().systemAndIdentifier("urn:dicom:uid", "urn:oid:2.25.1405"))
                .include(DiagnosticReport.INCLUDE_RESULT).returnBundle(Bundle.class).execute();
        assertThat(stored.getEntry()).filteredOn(e -> e.getResource() instanceof DiagnosticReport).hasSize(1);
        List<String> groupIds = stored.getEntry().stream().filter(e -> e.getResource() instanceof Observation)
                .flatMap(e -> ((Observation) e.getResource()).getHasMember().stream())
                .map(r -> r.getReferenceElement().getIdPart()).toList();
        List<Observation> measurements = groupIds.stream()
                .map(id -> client.read().resource(Observation.class).withId(id).execute()).toList();
        assertThat(measurements).anyMatch(o -> o.hasDataAbsentReason()
                && "unsupported".equals(o.getDataAbsentReason().getCodingFirstRep().getCode()));
        assertThat(measurements).noneMatch(o -> o.hasValueQuantity()
                && o.getValueQuantity().getValue().toString().contains("E+999999999"));
        assertNoPlantedValue();
    }

    private Process start(String instance, String heap, String fhirUrl, String... settings) throws IOException {
        Process child = ProductProcess.start(work, instance, heap, fhirUrl, settings);
        children.add(child);
        return child;
    }

    /**
     * Everything sr2fhir wrote (error reports, journal, delivered store, console) except the inputs it moved, which
     * are the patient's data themselves.
     */
    private void assertNoPlantedValue() throws IOException {
        List<Path> written;
        try (Stream<Path> all = Files.walk(work)) {
            written = all.filter(Files::isRegularFile).filter(p -> !isInput(p)).toList();
        }
        assertThat(written).anyMatch(p -> p.toString().endsWith(".log"));
        for (Path file : written) {
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            for (String value : PLANTED) {
                assertThat(text).as("%s holds a planted value", file).doesNotContain(value);
            }
        }
    }

    private boolean isInput(Path file) {
        Path parent = file.getParent();
        String name = file.getFileName().toString();
        return parent.equals(work.resolve("inbox")) || parent.equals(work.resolve("done"))
                || parent.equals(work.resolve("error")) && !name.endsWith(".error.txt");
    }

    /**
     * The multi-group highdicom report as DICOM JSON with a planted name, ID and birth date, its own SOP Instance UID,
     * and optionally without its title (refused: decision D46).
     */
    private static byte[] planted(String patientId, String birthDate, String sopInstanceUid, boolean withoutTitle)
            throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(JSON_CORPUS.resolve(BASE).toFile());
        root.set("00100010", JSON.readTree("{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"" + NAME + "\"}]}"));
        root.set("00100020", JSON.readTree("{\"vr\":\"LO\",\"Value\":[\"" + patientId + "\"]}"));
        root.set("00100030", JSON.readTree("{\"vr\":\"DA\",\"Value\":[\"" + birthDate + "\"]}"));
        root.set("00080018", JSON.readTree("{\"vr\":\"UI\",\"Value\":[\"" + sopInstanceUid + "\"]}"));
        if (withoutTitle) {
            root.remove("0040A043");
        }
        return JSON.writeValueAsBytes(root);
    }

    /**
     * The first Numeric Value (0040,A30A) of the report, written as {@code value}, without the Floating Point Value
     * (0040,A161) beside it, which would be read first.
     */
    private static byte[] withNumber(byte[] report, String value) throws IOException {
        JsonNode root = JSON.readTree(report);
        ObjectNode measuredValue = (ObjectNode) root.findParent("0040A30A");
        measuredValue.remove("0040A161");
        ((ObjectNode) measuredValue.get("0040A30A")).set("Value", JSON.createArrayNode().add(value));
        return JSON.writeValueAsBytes(root);
    }

    /**
     * A Deflated Explicit VR Little Endian Part 10 file whose dataset inflates to {@code inflated} bytes (one huge OB
     * element of zeros): a few hundred KiB on disk.
     */
    private static byte[] deflateBomb(int inflated) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(new byte[128]);
        file.write("DICM".getBytes(StandardCharsets.US_ASCII));
        byte[] transferSyntax = "1.2.840.10008.1.2.1.99".getBytes(StandardCharsets.US_ASCII);
        file.write(element(0x0002, 0x0000, "UL", le(8 + transferSyntax.length)));
        file.write(element(0x0002, 0x0010, "UI", transferSyntax));
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try (OutputStream body = new DeflaterOutputStream(file, deflater)) {
            body.write(element(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.88.22".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            header.putShort((short) 0x0009).putShort((short) 0x1010).put("OB".getBytes(StandardCharsets.US_ASCII))
                    .putShort((short) 0).putInt(inflated);
            body.write(header.array());
            byte[] zeros = new byte[1 << 20];
            for (int written = 0; written < inflated; written += zeros.length) {
                body.write(zeros, 0, Math.min(zeros.length, inflated - written));
            }
        }
        return file.toByteArray();
    }

    private static byte[] element(int group, int element, String vr, byte[] value) {
        ByteBuffer buffer = ByteBuffer.allocate(8 + value.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putShort((short) group).putShort((short) element).put(vr.getBytes(StandardCharsets.US_ASCII))
                .putShort((short) value.length).put(value);
        return buffer.array();
    }

    private static byte[] le(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
