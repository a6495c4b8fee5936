package org.sr2fhir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * The tools the tests compare with or run (dcmtk, PixelMed, Orthanc, PostgreSQL, Chromium): a missing one fails the
 * test with the Debian package to install, never skips it (decision D70), so a machine without them cannot pass
 * silently. {@code ./test.sh} installs them all.
 */
public final class Prerequisites {
    private Prerequisites() {
    }

    /** The first of {@code candidates} that is an executable file; fails naming {@code debianPackage} if none is. */
    public static Path executable(String debianPackage, Path... candidates) {
        return first(debianPackage, Files::isExecutable, candidates);
    }

    /** The first of {@code candidates} that is a readable file (a jar, a plugin); fails like {@link #executable}. */
    public static Path file(String debianPackage, Path... candidates) {
        return first(debianPackage, path -> Files.isRegularFile(path) && Files.isReadable(path), candidates);
    }

    private static Path first(String debianPackage, Predicate<Path> present, Path... candidates) {
        return Arrays.stream(candidates).filter(present).findFirst().orElseThrow(() -> new AssertionError(
                missing(debianPackage, Arrays.toString(candidates))));
    }

    static String missing(String debianPackage, String what) {
        return what + " missing: install the Debian package " + debianPackage
                + " (./test.sh installs every test prerequisite)";
    }
}
