package org.sr2fhir.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
        List<Integer> lengthFields = explicitLengthFields(original);
        for (int i = 0; i < MUTATIONS_PER_PART10_FILE; i++) {
            int kind = i % 6;
            byte[] mutated = switch (kind) {
                case 0 -> Arrays.copyOf(original, random.nextInt(original.length));
                case 1 -> flipBytes(original, random, 1 + random.nextInt(8));
                case 2 -> replaceLength(original, lengthFields, random, 0xFFFFFFFF);
                case 3 -> replaceLength(original, lengthFields, random, random.nextBoolean() ? 0x7FFFFFFF
                        : 1 + random.nextInt(original.length));
                case 4 -> replaceShortLength(original, lengthFields, random);
                default -> spliceRandomBytes(original, random);
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
                case 1 -> flipBytes(original, random, 1 + random.nextInt(4));
                case 2 -> {
                    byte[] copy = original.clone();
                    for (int n = 0; n < 1 + random.nextInt(4); n++) {
                        copy[random.nextInt(copy.length)] = syntax[random.nextInt(syntax.length)];
                    }
                    yield copy;
                }
                default -> replaceJsonToken(original, random);
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

    /** Offsets of the length fields of explicit VR LE element headers (tag, two VR letters, length). */
    private static List<Integer> explicitLengthFields(byte[] data) {
        List<Integer> offsets = new ArrayList<>();
        for (int i = 132; i + 12 <= data.length; i += 2) {
            VR vr = VR.parse(new String(data, i + 4, 2, StandardCharsets.ISO_8859_1));
            if (vr != null && (data[i + 1] == 0 || data[i] == 0)) {
                offsets.add(vr.hasLongLength() ? i + 8 : -(i + 6)); // negative: a 2-byte length
            }
        }
        return offsets;
    }

    private static byte[] replaceLength(byte[] data, List<Integer> fields, Random random, int length) {
        byte[] copy = data.clone();
        List<Integer> longFields = fields.stream().filter(f -> f > 0).toList();
        int at = longFields.isEmpty() ? random.nextInt(copy.length - 4) : longFields.get(random.nextInt(longFields.size()));
        ByteBuffer.wrap(copy, at, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(length);
        return copy;
    }

    private static byte[] replaceShortLength(byte[] data, List<Integer> fields, Random random) {
        byte[] copy = data.clone();
        List<Integer> shortFields = fields.stream().filter(f -> f < 0).map(f -> -f).toList();
        int at = shortFields.isEmpty() ? random.nextInt(copy.length - 2) : shortFields.get(random.nextInt(shortFields.size()));
        ByteBuffer.wrap(copy, at, 2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) random.nextInt(0x10000));
        return copy;
    }

    private static byte[] flipBytes(byte[] data, Random random, int count) {
        byte[] copy = data.clone();
        for (int i = 0; i < count; i++) {
            copy[random.nextInt(copy.length)] ^= (byte) (1 + random.nextInt(255));
        }
        return copy;
    }

    /** Deletes a random range, or inserts random bytes, somewhere in the input. */
    private static byte[] spliceRandomBytes(byte[] data, Random random) {
        int at = random.nextInt(data.length);
        int length = 1 + random.nextInt(64);
        if (random.nextBoolean()) {
            int end = Math.min(data.length, at + length);
            byte[] out = new byte[data.length - (end - at)];
            System.arraycopy(data, 0, out, 0, at);
            System.arraycopy(data, end, out, at, data.length - end);
            return out;
        }
        byte[] inserted = new byte[length];
        random.nextBytes(inserted);
        byte[] out = new byte[data.length + length];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, length);
        System.arraycopy(data, at, out, at + length, data.length - at);
        return out;
    }

    /** Replaces one JSON string or number with another kind of token. */
    private static byte[] replaceJsonToken(byte[] data, Random random) {
        String text = new String(data, StandardCharsets.UTF_8);
        String[] replacements = {"null", "[]", "{}", "\"\"", "1e999999999", "-1", "\"ZZ\"", "[[[]]]", "{\"x\":1}",
            "18446744073709551616", "\"====\""};
        int at = text.indexOf('"', random.nextInt(Math.max(1, text.length())));
        if (at < 0) {
            return data;
        }
        int end = text.indexOf('"', at + 1);
        if (end < 0) {
            return data;
        }
        String mutated = text.substring(0, at) + replacements[random.nextInt(replacements.length)]
                + text.substring(end + 1);
        return mutated.getBytes(StandardCharsets.UTF_8);
    }
}
