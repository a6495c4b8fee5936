package org.sr2fhir.tid1500;

import org.sr2fhir.InputRejectedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The shared corpus (../shared/corpus) for the mapping tests: every Part 10 and DICOM JSON SR file, and whether
 * MANIFEST.md says it is a TID 1500 report.
 */
public final class ReportCorpus {
    public static final Path SHARED = Path.of(System.getProperty("sr2fhir.shared.dir", "../shared"));
    public static final Path ROOT = SHARED.resolve("corpus");
    private static final Pattern ROW = Pattern.compile("^\\| (sr/\\S+|json/\\S+) \\|(.*)$");
    private static final Map<String, Boolean> TID1500 = manifest();

    private ReportCorpus() {
    }

    /** Every SR file of sr/, sr/nonconformant/, json/ and json/nonconformant/. */
    public static List<Path> files() {
        return Stream.of("sr", "sr/nonconformant", "json", "json/nonconformant")
                .flatMap(folder -> list(ROOT.resolve(folder)).stream()).toList();
    }

    /** The corpus-relative name, e.g. "sr/nonconformant/x.dcm". */
    public static String name(Path file) {
        return ROOT.relativize(file).toString().replace('\\', '/');
    }

    /** True when MANIFEST.md lists the file as TID 1500 (the IG example with its malformed Value is one too). */
    public static boolean isTid1500(Path file) {
        Boolean known = TID1500.get(name(file));
        if (known == null) {
            throw new IllegalStateException(name(file) + " is not described in MANIFEST.md");
        }
        return known;
    }

    /**
     * Every corpus file and producer fixture that reads as a TID 1500 report, by its corpus-relative name or fixture
     * name, corpus first; the refused ones are asserted by CorpusConversionTest and ProducerFixturesTest.
     */
    public static Map<String, MeasurementReport> readableWithFixtures() {
        Map<String, MeasurementReport> reports = new LinkedHashMap<>();
        for (Path file : files()) {
            try {
                reports.put(name(file), read(file));
            } catch (InputRejectedException refused) {
                // asserted by CorpusConversionTest
            }
        }
        for (String fixture : ProducerFixtures.NAMES) {
            try {
                reports.put(fixture, ProducerFixtures.read(fixture));
            } catch (InputRejectedException refused) {
                // nothing-to-map, asserted by ProducerFixturesTest
            }
        }
        return reports;
    }

    public static MeasurementReport read(Path file) throws InputRejectedException {
        return new ReportReader().read(bytes(file), file.getFileName().toString());
    }

    public static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> list(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".dcm")
                    || p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Boolean> manifest() {
        Map<String, Boolean> map = new HashMap<>();
        try {
            for (String line : Files.readAllLines(ROOT.resolve("MANIFEST.md"))) {
                Matcher m = ROW.matcher(line);
                if (m.matches()) {
                    String[] columns = m.group(2).split("\\|");
                    // Part 10 rows: the TID column (7th after the name); JSON rows: "... TID 1500 groups N"; the IG's own example
                    // JSON is listed with its parse error but is the TID 1500 golden input
                    boolean tid1500 = m.group(1).startsWith("sr/") ? columns.length > 6 && columns[6].trim().equals("1500")
                            : m.group(2).contains("TID 1500") || m.group(1).contains("Example-MeasurementReport");
                    map.put(m.group(1), tid1500);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return map;
    }
}
