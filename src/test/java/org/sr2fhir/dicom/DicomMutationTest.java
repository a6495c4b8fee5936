package org.sr2fhir.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input: every corpus file corrupted many ways (fixed seed, so failures reproduce) must either read or be
 * rejected with a {@link DicomReadException}: never another exception, an Error (OutOfMemoryError,
 * StackOverflowError) or a hang. Each input gets {@link #PER_INPUT} to finish.
 */
class DicomMutationTest {
    private static final Duration PER_INPUT = Duration.ofSeconds(2);
    private static final int MUTATIONS_PER_PART10_FILE = 60;
    private static final int MUTATIONS_PER_JSON_FILE = 30;
    private static final long SEED = 20261123L;

    /** Small limits make the limit paths reachable; the defaults are exercised by the corpus tests. */
    private final DicomReader reader = new DicomReader(new ReadLimits(8 << 20, 16 << 20, 64, 200_000));

    static Stream<Path> part10Files() {
        return Stream.concat(Corpus.part10Reports().stream(), Corpus.files("aux", ".dcm").stream());
    }

    static Stream<Path> jsonFiles() {
        return Corpus.jsonReports().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("part10Files")
    void corruptedPart10ReadsOrFailsCleanly(Path file) throws IOException {
        byte[] original = Files.readAllBytes(file);
        Random random = new Random(SEED ^ Corpus.name(file).hashCode());
        List<Integer> lengthFields = Mutations.explicitLengthFields(original);
        for (int i = 0; i < MUTATIONS_PER_PART10_FILE; i++) {
            int kind = i % 6;
            byte[] mutated = switch (kind) {
                case 0 -> Arrays.copyOf(original, random.nextInt(original.length));
                case 1 -> Mutations.flipBytes(original, random, 1 + random.nextInt(8));
                case 2 -> Mutations.replaceLength(original, lengthFields, random, 0xFFFFFFFF);
                case 3 -> Mutations.replaceLength(original, lengthFields, random, random.nextBoolean() ? 0x7FFFFFFF
                        : 1 + random.nextInt(original.length));
                case 4 -> Mutations.replaceShortLength(original, lengthFields, random);
                default -> Mutations.spliceRandomBytes(original, random);
            };
            assertCleanOutcome(mutated, Corpus.name(file) + " mutation " + i + " (kind " + kind + ")");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonFiles")
    void corruptedJsonReadsOrFailsCleanly(Path file) throws IOException {
        byte[] original = Files.readAllBytes(file);
        Random random = new Random(SEED ^ Corpus.name(file).hashCode());
        byte[] syntax = "{}[]\":,0-e.\\ ".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < MUTATIONS_PER_JSON_FILE; i++) {
            int kind = i % 4;
            byte[] mutated = switch (kind) {
                case 0 -> Arrays.copyOf(original, random.nextInt(original.length));
                case 1 -> Mutations.flipBytes(original, random, 1 + random.nextInt(4));
                case 2 -> {
                    byte[] copy = original.clone();
                    for (int n = 0; n < 1 + random.nextInt(4); n++) {
                        copy[random.nextInt(copy.length)] = syntax[random.nextInt(syntax.length)];
                    }
                    yield copy;
                }
                default -> Mutations.replaceJsonToken(original, random);
            };
            assertCleanOutcome(mutated, Corpus.name(file) + " mutation " + i + " (kind " + kind + ")");
        }
    }

    @Test
    void syntheticDeepNestingFailsCleanly() {
        // 100,000 nested sequences of undefined length: far past the depth limit, and past any stack
        DatasetBytes deep = DatasetBytes.explicitLittleEndian();
        for (int level = 0; level < 100_000; level++) {
            deep.header(Tag.ContentSequence, VR.SQ, DatasetBytes.UNDEFINED).item(DatasetBytes.UNDEFINED);
        }
        assertCleanOutcome(DatasetBytes.part10(DicomReader.EXPLICIT_VR_LITTLE_ENDIAN, deep.toBytes()), "deep Part 10");

        String json = "{\"0040A730\":{\"vr\":\"SQ\",\"Value\":[".repeat(100_000);
        assertCleanOutcome(json.getBytes(StandardCharsets.US_ASCII), "deep JSON");
        assertCleanOutcome("[".repeat(1_000_000).getBytes(StandardCharsets.US_ASCII), "deep JSON arrays");
    }

    @Test
    void hugeJsonNumbersFailCleanly() {
        assertCleanOutcome("{\"00280010\":{\"vr\":\"US\",\"Value\":[1e999999999]}}".getBytes(StandardCharsets.US_ASCII),
                "huge exponent");
        assertCleanOutcome("{\"00280010\":{\"vr\":\"US\",\"Value\":[1e-999999999]}}".getBytes(StandardCharsets.US_ASCII),
                "tiny exponent");
    }

    private void assertCleanOutcome(byte[] input, String label) {
        Throwable outcome = assertTimeoutPreemptively(PER_INPUT, () -> {
            try {
                reader.read(input, label);
                return null;
            } catch (DicomReadException expected) {
                return expected;
            } catch (Throwable unexpected) {
                return new AssertionError(label + ": " + unexpected, unexpected);
            }
        }, label);
        if (outcome instanceof AssertionError failure) {
            throw failure;
        }
        if (outcome != null) {
            assertThat(outcome.getMessage()).as(label).startsWith(label + ": ");
        }
    }
}
