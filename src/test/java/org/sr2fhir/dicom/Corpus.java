package org.sr2fhir.dicom;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The shared corpus of real SRs (../shared/corpus, see its MANIFEST.md), listed folder by folder. */
final class Corpus {
    static final Path ROOT = Path.of(System.getProperty("sr2fhir.shared.dir", "../shared")).resolve("corpus");

    private Corpus() {
    }

    /** Every regular file directly in {@code folder} (relative to the corpus) whose name ends with {@code suffix}. */
    static List<Path> files(String folder, String suffix) {
        try (Stream<Path> files = Files.list(ROOT.resolve(folder))) {
            return files.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Part 10 SR files of sr/ and sr/nonconformant/. */
    static List<Path> part10Reports() {
        return Stream.concat(files("sr", ".dcm").stream(), files("sr/nonconformant", ".dcm").stream()).toList();
    }

    /** DICOM JSON files of json/ and json/nonconformant/. */
    static List<Path> jsonReports() {
        return Stream.concat(files("json", ".json").stream(), files("json/nonconformant", ".json").stream()).toList();
    }

    static DicomDataset read(Path file) {
        try {
            return new DicomReader().read(Files.readAllBytes(file), file.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (DicomReadException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static String name(Path file) {
        return file.getFileName().toString();
    }
}
