package org.sr2fhir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ConvertCommand command = new ConvertCommand(
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

    @Test
    void badArgumentsExitWithTwoAndUsage(@TempDir Path dir) {
        assertThat(command.run(new String[] {dir.toString()})).isEqualTo(ConvertCommand.EXIT_USAGE);
        assertThat(command.run(new String[] {"--out", dir.toString()})).isEqualTo(ConvertCommand.EXIT_USAGE);
        assertThat(command.run(new String[] {dir.toString(), "--out", dir.toString(), "--verbos"})).isEqualTo(ConvertCommand.EXIT_USAGE);
        assertThat(command.run(new String[] {dir.resolve("missing.dcm").toString(), "--out", dir.toString()}))
                .isEqualTo(ConvertCommand.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--out <dir> is required").contains("no such file or folder")
                .contains("unknown option --verbos").contains(ConvertCommand.USAGE);
    }

    @Test
    void aBadSettingExitsWithTwo(@TempDir Path dir) throws Exception {
        Path input = Files.writeString(dir.resolve("x.dcm"), "x");
        int exit = command.run(new String[] {input.toString(), "--out", dir.resolve("out").toString(),
                "--sr2fhir.fhir.max-entries-per-bundle=-1"});
        assertThat(exit).isEqualTo(ConvertCommand.EXIT_USAGE);
    }

    @Test
    void aRejectedInputGetsAnErrorFileAndALine(@TempDir Path dir) throws Exception {
        Path input = Files.writeString(dir.resolve("notes.dcm"), "not a DICOM file at all");
        Path outDir = dir.resolve("out");

        int exit = command.run(new String[] {input.toString(), "--out", outDir.toString()});

        assertThat(exit).isEqualTo(ConvertCommand.EXIT_OK);
        assertThat(Files.readString(outDir.resolve("notes.error.txt"))).startsWith("notes.dcm");
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines[0]).startsWith("rejected " + input + ": ");
        assertThat(lines[lines.length - 1]).matches("converted=0 rejected=1 failed=0 ms=\\d+");
    }

    @Test
    void foldersAreWalkedForTheRouteEligibleNames() {
        assertThat(ConvertCommand.isInputName("a.dcm")).isTrue();
        assertThat(ConvertCommand.isInputName("A.DCM")).isTrue();
        assertThat(ConvertCommand.isInputName("a.json")).isTrue();
        assertThat(ConvertCommand.isInputName("IM0")).isTrue();
        assertThat(ConvertCommand.isInputName("MANIFEST.md")).isFalse();
        assertThat(ConvertCommand.isInputName(".hidden")).isFalse();
        assertThat(ConvertCommand.stripExtension("a.b.dcm")).isEqualTo("a.b");
        assertThat(ConvertCommand.stripExtension("IM0")).isEqualTo("IM0");
    }

    /** Issue 11: --sr2fhir.fhir.version=R4 writes R4 Bundles, the ImagingSelections as the xver Basic. */
    @Test
    void r4WritesR4Bundles(@TempDir Path dir) throws Exception {
        Path input = org.sr2fhir.tid1500.ReportCorpus.SHARED.resolve("ig/dicom/Example-MeasurementReport.json");
        Path outDir = dir.resolve("out");
        int exit = command.run(new String[] {input.toString(), "--out", outDir.toString(), "--sr2fhir.fhir.version=R4",
                "--sr2fhir.mapping.coding-schemes.[99LIDCQIICR]=http://cancerimagingarchive.net"});
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(ConvertCommand.EXIT_OK);
        org.hl7.fhir.r4.model.Bundle bundle = ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser()
                .parseResource(org.hl7.fhir.r4.model.Bundle.class,
                        Files.readString(outDir.resolve("Example-MeasurementReport.json")));
        assertThat(bundle.getEntry()).extracting(e -> e.getResource().fhirType())
                .contains("Basic", "BodyStructure", "Observation", "DiagnosticReport").doesNotContain("ImagingSelection");
        assertThat(bundle.getEntry()).extracting(e -> e.getRequest().getUrl()).anyMatch(u -> u.startsWith("Basic/"));
    }
}
