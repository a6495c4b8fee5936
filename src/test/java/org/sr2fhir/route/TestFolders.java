package org.sr2fhir.route;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Temporary folders for route tests, and the atomic file drop a real sender would do. */
public final class TestFolders {
    private TestFolders() {
    }

    public static Path create(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Points the inbox route at {@code work}/inbox, done, error, with its delivered-store beside them: a test's own
     * store, since ./application.yaml outranks the test class path and would share data/delivered-inputs.txt.
     */
    public static void registerInboxFolders(DynamicPropertyRegistry registry, Path work) {
        registry.add("sr2fhir.inbox.dir", () -> work.resolve("inbox").toString());
        registry.add("sr2fhir.inbox.done-dir", () -> work.resolve("done").toString());
        registry.add("sr2fhir.inbox.error-dir", () -> work.resolve("error").toString());
        registry.add("sr2fhir.delivery.delivered-store", () -> work.resolve("delivered.txt").toString());
    }

    /**
     * Drops {@code reports} into {@code inbox} at once: written to {@code staging} first in list order (so their
     * modification times follow it), then moved in one after the other, as a careful sender does.
     */
    public static void dropAtOnce(Path staging, Path inbox, List<ReportVariants.Variant> reports) throws IOException {
        Files.createDirectories(staging);
        Files.createDirectories(inbox);
        for (ReportVariants.Variant report : reports) {
            report.writeTo(staging);
        }
        for (ReportVariants.Variant report : reports) {
            Files.move(staging.resolve(report.name()), inbox.resolve(report.name()), StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Writes {@code name} in {@code folder} in one step (temp name, then rename), as a careful sender does. */
    public static Path dropAtomically(Path folder, String name, byte[] content) throws IOException {
        Files.createDirectories(folder);
        Path temp = folder.resolve("." + name + ".part");
        Files.write(temp, content);
        return Files.move(temp, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
}
