package org.sr2fhir.sr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sr2fhir.dicom.DicomDataset;
import org.sr2fhir.dicom.DicomElement;
import org.sr2fhir.dicom.DicomReader;
import org.sr2fhir.dicom.Tag;
import org.sr2fhir.dicom.VR;

/**
 * Hostile SR structure: every corpus SR, read, then its dataset tree damaged many ways (fixed seed, so failures
 * reproduce) in what the SR builder relies on: elements dropped or emptied, values of the wrong type or garbage
 * numbers, random Value Types and relationships, by-reference identifiers pointing anywhere, sequences emptied or
 * repeated. The builder must return a document or reject with {@link SrDocumentException}, quickly: never
 * another exception.
 */
class SrDocumentBuilderMutationTest {
    private static final Path SR = Path.of(System.getProperty("sr2fhir.shared.dir", "../shared"), "corpus", "sr");
    private static final int MUTATIONS_PER_FILE = 60;
    private static final long SEED = 20261123L;
    private static final String[] GARBAGE = {"", " ", "abc", "1.5", "-1", "0", "NaN", "1e999", "99999999999999999999",
        "CONTAINER", "1\\2", "\u00e9\u4e2d"};
    private static int built;
    private static int rejected;

    private final DicomReader reader = new DicomReader();
    private final SrDocumentBuilder builder = new SrDocumentBuilder();

    static Stream<Path> corpus() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path folder : List.of(SR, SR.resolve("nonconformant"))) {
            try (Stream<Path> listing = Files.list(folder)) {
                listing.filter(p -> p.toString().endsWith(".dcm")).sorted().forEach(files::add);
            }
        }
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void damagedSrStructureBuildsOrIsRejectedCleanly(Path file) throws Exception {
        String name = file.getFileName().toString();
        DicomDataset original = reader.read(Files.readAllBytes(file), name);
        Random random = new Random(SEED ^ name.hashCode());
        for (int i = 0; i < MUTATIONS_PER_FILE; i++) {
            double rate = i < MUTATIONS_PER_FILE / 2 ? 0.02 : 0.2;
            DicomDataset damaged = mutate(original, random, rate, 0);
            String label = name + " mutation " + i;
            assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
                try {
                    SrDocument document = builder.build(damaged, label);
                    assertThat(document.root()).isNotNull();
                    built++;
                } catch (SrDocumentException e) {
                    assertThat(e.getMessage()).startsWith(label);
                    rejected++;
                }
            }, label);
        }
    }

    @AfterAll
    static void summary() {
        System.out.printf("SrDocumentBuilderMutationTest: %d damaged documents built (with warnings), %d rejected%n",
                built, rejected);
    }

    private static DicomDataset mutate(DicomDataset source, Random random, double rate, int depth) {
        DicomDataset copy = new DicomDataset();
        for (DicomElement element : source.elements()) {
            if (random.nextDouble() >= rate) {
                copy.put(element.vr() == VR.SQ ? new DicomElement(element.tag(), VR.SQ,
                        element.items().stream().map(item -> mutate(item, random, rate, depth + 1)).toList())
                        : element);
                continue;
            }
            switch (random.nextInt(6)) {
                case 0 -> {
                    // dropped
                }
                case 1 -> copy.put(new DicomElement(element.tag(), element.vr(), List.of()));
                case 2 -> copy.put(DicomElement.ofStrings(element.tag(), element.vr() == VR.SQ ? VR.LO : element.vr(),
                        List.of(GARBAGE[random.nextInt(GARBAGE.length)])));
                case 3 -> copy.put(DicomElement.ofStrings(element.tag(), VR.CS, List.of(random.nextBoolean()
                        ? ValueType.values()[random.nextInt(ValueType.values().length)].name()
                        : RelationshipType.values()[random.nextInt(RelationshipType.values().length)].dicom())));
                case 4 -> copy.put(new DicomElement(element.tag(), VR.UL,
                        random.longs(1 + random.nextInt(6), -2, 12).toArray()));
                default -> copy.put(element.vr() == VR.SQ && !element.items().isEmpty()
                        ? DicomElement.ofItems(element.tag(), List.of(element.items().get(0), element.items().get(0)))
                        : new DicomElement(element.tag(), VR.FL, new double[] {Double.NaN, 1e40}));
            }
        }
        if (depth > 0 && random.nextDouble() < rate) {
            // a by-reference identifier appears where there was none
            copy.put(new DicomElement(Tag.ReferencedContentItemIdentifier, VR.UL,
                    random.longs(1 + random.nextInt(5), 1, 6).toArray()));
        }
        return copy;
    }
}
