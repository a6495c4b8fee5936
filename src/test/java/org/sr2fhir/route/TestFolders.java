package org.sr2fhir.route;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Temporary folders for route tests, and the atomic file drop a real sender would do. */
final class TestFolders {
    private TestFolders() {
    }

    static Path create(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code name} in {@code folder} in one step (temp name, then rename), as a careful sender does. */
    static Path dropAtomically(Path folder, String name, byte[] content) throws IOException {
        Files.createDirectories(folder);
        Path temp = folder.resolve("." + name + ".part");
        Files.write(temp, content);
        return Files.move(temp, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
}
