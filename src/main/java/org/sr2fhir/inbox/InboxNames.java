package org.sr2fhir.inbox;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.springframework.stereotype.Component;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.config.Sr2FhirProperties;
import org.sr2fhir.tid1500.ReportReader;

/**
 * The names an inbox file takes on its way out (routes/sr-to-fhir.yaml), and the checks made before it is read
 * (decisions D48, D49). File systems hold names of at most {@value #MAX_NAME_BYTES} bytes: a name that leaves no room
 * for a suffix sr2fhir adds ({@code .error.txt}, {@code .camelLock}) is shortened, keeping its extension and a hash of
 * the whole name so two long names never collide. An archived copy in done/ is never overwritten: a later file of
 * the same name is kept beside it as {@code name__2.ext}, {@code name__3.ext} ...
 */
@Component("inboxNames")
public class InboxNames {
    /** The longest file name (in bytes) of common file systems (ext4, XFS, NTFS in UTF-16 units, APFS). */
    public static final int MAX_NAME_BYTES = 255;
    public static final String ERROR_SUFFIX = ".error.txt";

    private final Path doneDir;
    private final ReportReader reader;

    public InboxNames(Sr2FhirProperties properties, ReportReader reader) {
        this.doneDir = Path.of(properties.inbox().doneDir());
        this.reader = reader;
    }

    /**
     * The inbox route's first step: an input larger than the read limit is refused on its size, never read
     * (decision D48: a file bigger than the heap would end the polling thread).
     */
    public void check(Exchange exchange) throws InputRejectedException {
        Long size = exchange.getMessage().getHeader(Exchange.FILE_LENGTH, Long.class);
        if (size != null) {
            reader.refuseIfTooLarge(size, name(exchange));
        }
    }

    /** The input's name in the error folder: its own, or shortened so {@code .error.txt} fits beside it. */
    public String errorName(Exchange exchange) {
        return fitting(name(exchange), ERROR_SUFFIX);
    }

    /** The name of the input's error report in the error folder. */
    public String errorReportName(Exchange exchange) {
        return errorName(exchange) + ERROR_SUFFIX;
    }

    /** The input's name in done/: its own, or {@code name__n.ext} when done/ holds that name already (D49). */
    public String doneName(Exchange exchange) {
        String name = name(exchange);
        if (!Files.exists(doneDir.resolve(name))) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        for (int n = 2; ; n++) {
            String candidate = fitting(stem + "__" + n + extension, "");
            if (!Files.exists(doneDir.resolve(candidate))) {
                return candidate;
            }
        }
    }

    /**
     * {@code name} when {@code name + suffix} fits in {@value #MAX_NAME_BYTES} bytes; otherwise its start, "~", eight
     * hex digits of its SHA-256 and its extension, short enough that the suffix fits.
     */
    public static String fitting(String name, String suffix) {
        int room = MAX_NAME_BYTES - bytes(suffix);
        if (bytes(name) <= room) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 && name.length() - dot <= 16 ? name.substring(dot) : "";
        String tail = "~" + hash(name) + extension;
        int budget = room - bytes(tail);
        StringBuilder start = new StringBuilder();
        for (int i = 0; i < name.length(); ) {
            int codePoint = name.codePointAt(i);
            String character = new String(Character.toChars(codePoint));
            if (bytes(start.toString()) + bytes(character) > budget) {
                break;
            }
            start.append(character);
            i += Character.charCount(codePoint);
        }
        return start + tail;
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String hash(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** The input file's own name: from the consumer's file (headers may have changed on the way), else the header. */
    private static String name(Exchange exchange) {
        GenericFile<?> file = exchange.getProperty(Exchange.FILE_EXCHANGE_FILE, GenericFile.class);
        return file != null ? file.getFileNameOnly()
                : exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, "input", String.class);
    }
}
