package org.sr2fhir.bench;

import org.hl7.fhir.r5.model.Bundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.fhir.IgValidator;
import org.sr2fhir.fhir.MappingSettings;
import org.sr2fhir.fhir.ReportMapper;
import org.sr2fhir.tid1500.ReportCorpus;
import org.sr2fhir.tid1500.ReportReader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Mapping throughput in-process over the corpus mix (every TID 1500 file that converts, Part 10 and JSON):
 * bytes → report model → transaction Bundle, without and with IG validation, printed as reports/s and their ratio.
 * Micro-benchmark, not a timed test: runs only when asked, with the read benchmark, as
 * {@code mvn -q test -Dtest='*Benchmark,!DeliveryBenchmark' -Dbench=true} ({@code -Dbench.seconds=N} per phase,
 * default 10).
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class MappingBenchmark {

    private record Input(String name, byte[] bytes) {
    }

    @Test
    void reportsThroughput() throws Exception {
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "10"));
        ReportReader reader = new ReportReader();
        ReportMapper mapper = new ReportMapper(MappingSettings.defaults());
        List<Input> mix = new ArrayList<>();
        for (Path file : ReportCorpus.files()) {
            byte[] bytes = ReportCorpus.bytes(file);
            try {
                mapper.convert(reader.read(bytes, file.getFileName().toString()));
                mix.add(new Input(file.getFileName().toString(), bytes));
            } catch (InputRejectedException e) {
                // rejected inputs are not part of the mapping mix
            }
        }
        System.out.printf("corpus mix: %d reports (Part 10 and DICOM JSON)%n", mix.size());

        long start = System.nanoTime();
        IgValidator validator = IgValidator.shared();
        System.out.printf("validator start-up: %.1f s%n", (System.nanoTime() - start) / 1e9);

        run("warm-up", mix, reader, mapper, null, Math.max(2, seconds / 2));
        double plain = run("without validation", mix, reader, mapper, null, seconds);
        run("warm-up (validation)", mix, reader, mapper, validator, Math.max(2, seconds / 2));
        double validated = run("with validation", mix, reader, mapper, validator, seconds);
        System.out.printf("ratio without/with validation: %.1f : 1%n", plain / validated);
    }

    private static double run(String phase, List<Input> mix, ReportReader reader, ReportMapper mapper,
                              IgValidator validator, double seconds) throws InputRejectedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        long reports = 0;
        long entries = 0;
        while (System.nanoTime() < deadline) {
            for (Input input : mix) {
                Bundle bundle = mapper.convert(reader.read(input.bytes(), input.name()));
                if (validator != null && !validator.validate(bundle).isValid()) {
                    throw new IllegalStateException(input.name() + " does not validate against the IG");
                }
                entries += bundle.getEntry().size();
                reports++;
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double rate = reports / elapsed;
        System.out.printf("%-22s %8.1f reports/s  %9.1f resources/s  (%d reports in %.1f s)%n", phase, rate,
                entries / elapsed, reports, elapsed);
        return rate;
    }
}
