package org.sr2fhir.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.dicom.DicomReader;
import org.sr2fhir.sr.SrDocumentBuilder;

/**
 * Micro-benchmark, not a timed test: throughput of DicomReader (bytes → dataset) and of read + SR tree
 * (bytes → SrDocument) over the whole corpus, Part 10 and DICOM JSON separately, in reports per second.
 * Runs only when asked, with the mapping benchmark:
 * {@code mvn -q test -Dtest='*Benchmark,!DeliveryBenchmark' -Dbench=true}.
 * Each figure is the best of several timed rounds after a warm-up, so JIT compilation is out of the measurement.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class ReadBenchmark {
    private static final Path CORPUS = Path.of(System.getProperty("sr2fhir.shared.dir", "../shared")).resolve("corpus");
    private static final long WARM_UP_NANOS = 3_000_000_000L;
    private static final long ROUND_NANOS = 1_000_000_000L;
    private static final int ROUNDS = 5;

    private final DicomReader reader = new DicomReader();
    private final SrDocumentBuilder builder = new SrDocumentBuilder();

    @FunctionalInterface
    private interface Stage {
        Object run(byte[] content, String source) throws InputRejectedException;
    }

    private record Input(String name, byte[] content) {
    }

    private record Format(String name, List<Input> inputs) {
    }

    private record Step(String name, Stage stage) {
    }

    @Test
    void reportsThroughput() {
        List<Format> formats = List.of(
                new Format("Part 10", load(Stream.of("sr", "sr/nonconformant"), ".dcm")),
                new Format("DICOM JSON", load(Stream.of("json", "json/nonconformant"), ".json")));
        List<Step> steps = List.of(
                new Step("read", reader::read),
                new Step("read+tree", (content, source) -> builder.build(reader.read(content, source), source)));
        for (Format format : formats) {
            long bytes = format.inputs().stream().mapToLong(i -> i.content().length).sum();
            for (Step step : steps) {
                double perSecond = bestRate(format.inputs(), step.stage());
                System.out.printf(Locale.ROOT, "%-10s %-9s %3d files %7.1f KiB: %,10.0f reports/s  %6.1f MiB/s%n",
                        format.name(), step.name(), format.inputs().size(), bytes / 1024.0, perSecond,
                        perSecond * bytes / format.inputs().size() / (1 << 20));
            }
        }
    }

    /** Best reports/s over {@link #ROUNDS} rounds of about one second each, after the warm-up. */
    private static double bestRate(List<Input> inputs, Stage stage) {
        runFor(WARM_UP_NANOS, inputs, stage);
        double best = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long start = System.nanoTime();
            long reports = runFor(ROUND_NANOS, inputs, stage);
            best = Math.max(best, reports * 1e9 / (System.nanoTime() - start));
        }
        return best;
    }

    /** Reads the whole corpus over and over for about {@code nanos}; returns the number of reports read. */
    private static long runFor(long nanos, List<Input> inputs, Stage stage) {
        long end = System.nanoTime() + nanos;
        long reports = 0;
        long sink = 0;
        while (System.nanoTime() < end) {
            for (Input input : inputs) {
                try {
                    // identity, not hashCode(): a record's hashCode would hash the whole SR tree on every call
                    sink += System.identityHashCode(stage.run(input.content(), input.name()));
                } catch (InputRejectedException rejected) {
                    sink++; // some corpus SRs are rightly rejected by the tree stage; rejecting is work too
                }
                reports++;
            }
        }
        if (sink == 42) {
            System.out.print(""); // keeps the results observable, so the JIT cannot drop the work
        }
        return reports;
    }

    private static List<Input> load(Stream<String> folders, String suffix) {
        return folders.flatMap(folder -> {
            try (Stream<Path> files = Files.list(CORPUS.resolve(folder))) {
                return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList().stream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).map(p -> new Input(p.getFileName().toString(), read(p))).toList();
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
