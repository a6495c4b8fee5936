package org.sr2fhir.fhir;

import ca.uhn.fhir.context.FhirVersionEnum;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.r4.R4Renderer;
import org.sr2fhir.tid1500.ReportCorpus;
import org.sr2fhir.tid1500.ReportReader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * IG validation throughput in-process over the corpus mix (the reports that convert, Bundles built beforehand):
 * reports/s validated in R5 and in R4, from 1 and from 4 threads sharing one validator, and how many times read+map
 * (1 thread) is faster; each measured with HAPI's per-call set-up of the RI validator (before decision D55) and with
 * the validator sr2fhir uses, one after the other in the same run. Beside the read and mapping benchmarks
 * ({@code org.sr2fhir.bench}), in this package for {@link IgValidator#withPerCallSetUp}. Micro-benchmark, not a timed test: runs only when asked, with the others, as
 * {@code mvn -q test -Dtest='*Benchmark,!DeliveryBenchmark' -Dbench=true} ({@code -Dbench.seconds=N} per phase,
 * default 10).
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class ValidationBenchmark {
    private static final List<Integer> THREADS = List.of(1, 4);

    private record Input(String name, byte[] bytes) {
    }

    @Test
    void validationThroughput() throws Exception {
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "10"));
        ReportReader reader = new ReportReader();
        ReportMapper mapper = new ReportMapper(MappingSettings.defaults());
        R4Renderer renderer = new R4Renderer();
        List<Input> mix = new ArrayList<>();
        List<IBaseBundle> r5 = new ArrayList<>();
        List<IBaseBundle> r4 = new ArrayList<>();
        for (Path file : ReportCorpus.files()) {
            byte[] bytes = ReportCorpus.bytes(file);
            try {
                org.hl7.fhir.r5.model.Bundle bundle = mapper.convert(reader.read(bytes, file.getFileName().toString()));
                mix.add(new Input(file.getFileName().toString(), bytes));
                r5.add(bundle);
                r4.add(renderer.render(bundle));
            } catch (InputRejectedException e) {
                // rejected inputs are not part of the mix
            }
        }
        System.out.printf(Locale.ROOT, "corpus mix: %d reports%n", mix.size());

        rate(Math.max(2, seconds / 2), 1, () -> mix.forEach(i -> map(reader, mapper, i)), mix.size());
        double mapping = rate(seconds, 1, () -> mix.forEach(i -> map(reader, mapper, i)), mix.size());
        System.out.printf(Locale.ROOT, "%-28s %8.1f reports/s%n", "read+map, 1 thread", mapping);

        for (FhirVersionEnum version : List.of(FhirVersionEnum.R5, FhirVersionEnum.R4)) {
            List<IBaseBundle> bundles = version == FhirVersionEnum.R5 ? r5 : r4;
            Map<String, IgValidator> validators = new LinkedHashMap<>();
            long start = System.nanoTime();
            validators.put("per-call set-up (before D55)", IgValidator.withPerCallSetUp(version));
            validators.put("reused per thread (D55)", IgValidator.shared(version));
            System.out.printf(Locale.ROOT, "%s validators start-up: %.1f s%n", version, (System.nanoTime() - start) / 1e9);
            for (IgValidator validator : validators.values()) {
                rate(Math.max(2, seconds / 2), 1, pass(validator, bundles, version), bundles.size());
            }
            for (int threads : THREADS) {
                for (Map.Entry<String, IgValidator> validator : validators.entrySet()) {
                    double validated = rate(seconds, threads, pass(validator.getValue(), bundles, version),
                            bundles.size());
                    System.out.printf(Locale.ROOT, "validation %s, %d thread%s, %-28s %6.1f reports/s  read+map is %.0f x"
                            + " faster%n", version, threads, threads == 1 ? " " : "s", validator.getKey(), validated,
                            mapping / validated);
                }
            }
        }
    }

    private static Runnable pass(IgValidator validator, List<IBaseBundle> bundles, FhirVersionEnum version) {
        return () -> bundles.forEach(bundle -> {
            if (!validator.validate(bundle).isValid()) {
                throw new IllegalStateException("a corpus Bundle does not validate in " + version);
            }
        });
    }

    private static void map(ReportReader reader, ReportMapper mapper, Input input) {
        try {
            mapper.convert(reader.read(input.bytes(), input.name()));
        } catch (InputRejectedException e) {
            throw new IllegalStateException(input.name() + " converted before", e);
        }
    }

    /** Reports/s of {@code threads} threads each repeating {@code pass} (over {@code reports}) for {@code seconds}. */
    private static double rate(double seconds, int threads, Runnable pass, int reports) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            long deadline = start + (long) (seconds * 1e9);
            List<Future<Integer>> passes = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                passes.add(pool.submit(() -> {
                    int done = 0;
                    while (System.nanoTime() < deadline) {
                        pass.run();
                        done++;
                    }
                    return done;
                }));
            }
            long total = 0;
            for (Future<Integer> done : passes) {
                total += done.get();
            }
            return total * reports / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdown();
        }
    }
}
