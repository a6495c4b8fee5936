package org.sr2fhir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r5.model.Bundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI over the whole corpus (Part 10 and DICOM JSON): every input is converted or cleanly rejected. */
class ConvertCommandIT {
    private static final Path CORPUS = Path.of(System.getProperty("sr2fhir.shared.dir", "../shared"), "corpus");

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
            assertThat(written.stream().filter(p -> p.toString().endsWith(".json"))).hasSize((int) converted);
            assertThat(written.stream().filter(p -> p.toString().endsWith(".error.txt"))).hasSize((int) rejected);
            Path anyBundle = written.stream().filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
            Bundle bundle = FhirContext.forR5Cached().newJsonParser().parseResource(Bundle.class, Files.readString(anyBundle));
            assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
            assertThat(bundle.getEntry()).isNotEmpty();
        }
    }
}
