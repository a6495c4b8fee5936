package org.sr2fhir.sr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sr2fhir.Prerequisites;
import org.sr2fhir.dicom.DicomReader;

/**
 * Second, independent reader: for every Part 10 file of the corpus, PixelMed's {@code StructuredReport} (Debian
 * libpixelmed-java, loaded from its jar) lists every content item with its position path ("1.3.3.1"), relationship
 * and value type, and every by-reference item with the path of its target. sr2fhir's tree must list the same, in
 * the same order. This proves the positions and by-reference resolution, which dcmtk's XML numbers differently.
 * A missing PixelMed fails the test (D70).
 */
class SrTreePixelmedIT {
    private static final Path SR = Path.of(System.getProperty("sr2fhir.shared.dir", "../shared"), "corpus", "sr");
    private static final Path PIXELMED_JAR = Path.of("/usr/share/java/pixelmed.jar");

    /** "1.3.3.1: R-SELECTED FROM: 1.3.2" or "1.2.2: CONTAINS: NUM: Diameter = 3 Length Unit". */
    private static final Pattern ITEM_LINE = Pattern.compile("^(1(?:\\.\\d+)*): ([A-Z ]*): ([A-Z0-9]+):");
    private static final Pattern REFERENCE_LINE =
            Pattern.compile("^(1(?:\\.\\d+)*): R-([A-Z ]+): (1(?:\\.\\d+)*)\\s*$");

    private static URLClassLoader pixelmed;
    private static int files;
    private static int items;

    private final DicomReader reader = new DicomReader();
    private final SrDocumentBuilder builder = new SrDocumentBuilder();

    @BeforeAll
    static void loadPixelmed() throws IOException {
        Path jar = Prerequisites.file("libpixelmed-java", PIXELMED_JAR);
        pixelmed = new URLClassLoader(new URL[] {jar.toUri().toURL()}, SrTreePixelmedIT.class.getClassLoader());
    }

    @AfterAll
    static void summary() throws IOException {
        System.out.printf("SrTreePixelmedIT: %d files, %d content items with the same position, relationship, "
                + "value type and by-reference target as PixelMed%n", files, items);
        if (pixelmed != null) {
            pixelmed.close();
        }
    }

    static Stream<Path> corpus() throws IOException {
        List<Path> paths = new ArrayList<>();
        for (Path folder : List.of(SR, SR.resolve("nonconformant"))) {
            try (Stream<Path> listing = Files.list(folder)) {
                listing.filter(p -> p.toString().endsWith(".dcm")).sorted().forEach(paths::add);
            }
        }
        return paths.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void positionsRelationshipsAndReferencesEqualPixelmeds(Path file) throws Exception {
        String name = file.getFileName().toString();
        SrDocument document = builder.build(reader.read(Files.readAllBytes(file), name), name);

        List<String> theirs = pixelmedItems(pixelmedDump(file));
        List<String> ours = items(document.root());

        assertThat(ours).containsExactlyElementsOf(theirs);
        files++;
        items += ours.size();
    }

    /** PixelMed's text form of the tree: new StructuredReport(attributeList).toString(). */
    private static String pixelmedDump(Path file) throws ReflectiveOperationException {
        Class<?> attributeList = pixelmed.loadClass("com.pixelmed.dicom.AttributeList");
        Object list = attributeList.getConstructor().newInstance();
        attributeList.getMethod("read", String.class).invoke(list, file.toString());
        Class<?> structuredReport = pixelmed.loadClass("com.pixelmed.dicom.StructuredReport");
        return structuredReport.getConstructor(attributeList).newInstance(list).toString();
    }

    /** One "path relationship value type" line per item; continuation lines of multi-line text are skipped. */
    private static List<String> pixelmedItems(String dump) {
        List<String> lines = new ArrayList<>();
        for (String line : dump.split("\n")) {
            Matcher reference = REFERENCE_LINE.matcher(line);
            Matcher item = ITEM_LINE.matcher(line);
            if (reference.find()) {
                lines.add(reference.group(1) + " " + reference.group(2) + " BY-REFERENCE -> " + reference.group(3));
            } else if (item.find()) {
                lines.add(item.group(1) + " " + item.group(2) + " " + item.group(3));
            }
        }
        return lines;
    }

    private static List<String> items(ContentItem root) {
        List<String> lines = new ArrayList<>();
        Deque<ContentItem> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            ContentItem item = pending.pop();
            String relationship = item.relationship() == null ? "" : item.relationship().dicom();
            lines.add(item instanceof ContentItem.ByReference reference
                    ? item.path() + " " + relationship + " BY-REFERENCE -> " + reference.target().path()
                    : item.path() + " " + relationship + " " + item.valueType());
            for (int i = item.children().size() - 1; i >= 0; i--) {
                pending.push(item.children().get(i));
            }
        }
        return lines;
    }
}
