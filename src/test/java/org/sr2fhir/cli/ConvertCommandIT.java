package org.sr2fhir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.ImagingStudy;
import org.hl7.fhir.r5.model.Observation;
import org.hl7.fhir.r5.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sr2fhir.testserver.FhirTestServer;
import org.sr2fhir.tid1500.ProducerFixtures;

/**
 * The CLI over the whole corpus (Part 10 and DICOM JSON): every input is converted or cleanly rejected, each with its
 * conversion report; and decision D26 in the CLI: a report without a Patient ID is refused without a server and takes
 * the Patient of its study from the server given with --sr2fhir.fhir.url.
 */
class ConvertCommandIT {
    private static final Path CORPUS = Path.of(System.getProperty("sr2fhir.shared.dir", "../shared"), "corpus");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ConvertCommand command = new ConvertCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    @Test
    void withoutAServerAReportWithoutPatientIdIsRefusedBesideItsConversionReport(@TempDir Path dir) throws Exception {
        Path input = Files.write(dir.resolve("no-pid.dcm"), ProducerFixtures.bytes("empty-patient-id"));
        Path outDir = dir.resolve("out");

        assertThat(command.run(new String[] {input.toString(), "--out", outDir.toString()})).isEqualTo(ConvertCommand.EXIT_OK);

        assertThat(outDir.resolve("no-pid.error.txt")).content().contains("no FHIR server to ask");
        JsonNode report = JSON.readTree(outDir.resolve("no-pid.report.json").toFile());
        assertThat(report.get("status").asText()).isEqualTo("rejected");
        assertThat(report.get("sopInstanceUid").asText()).isEqualTo("2.25.10106");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("converted=0 rejected=1 failed=0");
    }

    @Test
    void withAServerAReportWithoutPatientIdTakesThePatientOfItsStudy(@TempDir Path dir) throws Exception {
        IGenericClient client = FhirContext.forR5Cached().newRestfulGenericClient(FhirTestServer.shared().baseUrl());
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:sr2fhir:test").setValue("cli-study-patient");
        String patientId = client.create().resource(patient).conditionalByUrl(
                "Patient?identifier=urn:sr2fhir:test|cli-study-patient").execute().getId().toUnqualifiedVersionless()
                .getValue();
        ImagingStudy study = new ImagingStudy().setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
        study.addIdentifier().setSystem("urn:dicom:uid").setValue("urn:oid:2.25.10006");
        study.getSubject().setReference(patientId);
        client.create().resource(study).conditionalByUrl("ImagingStudy?identifier=urn:dicom:uid|urn:oid:2.25.10006")
                .execute();
        Path input = Files.write(dir.resolve("no-pid.dcm"), ProducerFixtures.bytes("empty-patient-id"));
        Path outDir = dir.resolve("out");

        assertThat(command.run(new String[] {input.toString(), "--out", outDir.toString(),
                "--sr2fhir.fhir.url=" + FhirTestServer.shared().baseUrl()})).isEqualTo(ConvertCommand.EXIT_OK);

        Bundle bundle = FhirContext.forR5Cached().newJsonParser().parseResource(Bundle.class,
                Files.readString(outDir.resolve("no-pid.json")));
        assertThat(bundle.getEntry()).extracting(e -> e.getResource()).filteredOn(Observation.class::isInstance)
                .hasSize(2).allSatisfy(o -> assertThat(((Observation) o).getSubject().getReference()).isEqualTo(patientId));
        assertThat(JSON.readTree(outDir.resolve("no-pid.report.json").toFile()).get("status").asText())
                .isEqualTo("converted");
    }

    @Test
    void wholeCorpusIsConvertedOrRejectedWithAReason(@TempDir Path outDir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ConvertCommand command = new ConvertCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        int exit = command.run(new String[] {CORPUS.resolve("sr").toString(), CORPUS.resolve("json").toString(),
                "--out", outDir.toString()});

        List<Path> inputs = ConvertCommand.collectInputs(List.of(CORPUS.resolve("sr"), CORPUS.resolve("json")));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(err.toString(StandardCharsets.UTF_8)).as("no stack traces").isEmpty();
        assertThat(exit).isEqualTo(ConvertCommand.EXIT_OK);
        assertThat(lines).hasSize(inputs.size() + 1);
        long converted = lines.stream().filter(l -> l.startsWith("converted ")).count();
        long rejected = lines.stream().filter(l -> l.startsWith("rejected ")).count();
        assertThat(converted + rejected).isEqualTo(inputs.size());
        assertThat(lines.get(lines.size() - 1)).matches("converted=" + converted + " rejected=" + rejected + " failed=0 ms=\\d+");
        try (Stream<Path> files = Files.list(outDir)) {
            List<Path> written = files.toList();
            List<Path> bundles = written.stream().filter(p -> p.toString().endsWith(".json"))
                    .filter(p -> !p.toString().endsWith(".report.json")).toList();
            assertThat(bundles).hasSize((int) converted);
            assertThat(written.stream().filter(p -> p.toString().endsWith(".error.txt"))).hasSize((int) rejected);
            // decision D34: a conversion report beside every Bundle and every .error.txt
            assertThat(written.stream().filter(p -> p.toString().endsWith(".report.json"))).hasSize(inputs.size());
            Path anyBundle = bundles.get(0);
            Bundle bundle = FhirContext.forR5Cached().newJsonParser().parseResource(Bundle.class, Files.readString(anyBundle));
            assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
            assertThat(bundle.getEntry()).isNotEmpty();
        }
    }
}
