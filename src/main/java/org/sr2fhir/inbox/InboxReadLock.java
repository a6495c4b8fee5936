package org.sr2fhir.inbox;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.FileComponent;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.component.file.GenericFileOperations;
import org.apache.camel.component.file.strategy.FileChangedExclusiveReadLockStrategy;

/**
 * The inbox's read lock (issue 6): readLock=changed (a file still being written is not taken), plus a
 * {@code <name>.camelLock} marker on which this process holds an operating-system lock while the input is in flight.
 * <p>
 * Camel's plain marker files cannot serve both a crash and a second instance: after a kill -9 the marker stays, so
 * Camel deletes every marker of the inbox when a consumer starts, live markers of another instance at work included;
 * that instance's file was then sent twice and, as both moved it, lost from done/ (a move deletes its target before
 * renaming). A lock the kernel holds ends with its process: a marker nobody holds a lock on is an orphan, taken over
 * or deleted at start-up, while the live markers of other instances are left alone. Only markers are locked, each
 * through one channel per JVM: on Linux, closing any other channel on a locked file drops the process' lock on it.
 */
public class InboxReadLock extends FileChangedExclusiveReadLockStrategy {
    private static final String CHANNEL = InboxReadLock.class.getName() + ".channel:";

    /** Markers this JVM holds; never opened a second time while held (see above). */
    private final Set<Path> held = ConcurrentHashMap.newKeySet();

    public InboxReadLock() {
        // the marker is handled here, and never deleted blindly at start-up
        setMarkerFiler(false);
        setDeleteOrphanLockFiles(false);
    }

    /**
     * Deletes the markers crashed instances left (nobody holds their lock), as Camel's readLockDeleteOrphanLockFiles
     * does, but leaves the live ones of other instances alone. The inbox is not recursive: its top level only.
     */
    @Override
    public void prepareOnStartup(GenericFileOperations<File> operations, GenericFileEndpoint<File> endpoint) {
        Path inbox = Path.of(endpoint.getConfiguration().getDirectory());
        if (!Files.isDirectory(inbox)) {
            return;
        }
        try (Stream<Path> listing = Files.list(inbox)) {
            for (Path marker : listing.filter(p -> p.getFileName().toString()
                    .endsWith(FileComponent.DEFAULT_LOCK_FILE_POSTFIX)).toList()) {
                deleteIfOrphan(marker);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the orphaned markers of " + inbox, e);
        }
    }

    /** Deleted while locked, as a release does (a marker being acquired by another instance stays). */
    private void deleteIfOrphan(Path marker) throws IOException {
        if (!held.add(marker)) {
            return;
        }
        try (FileChannel orphan = lockedMarker(marker)) {
            if (orphan != null) {
                Files.deleteIfExists(marker);
            }
        } finally {
            held.remove(marker);
        }
    }

    @Override
    public boolean acquireExclusiveReadLock(GenericFileOperations<File> operations, GenericFile<File> file,
                                            Exchange exchange) throws Exception {
        Path marker = marker(file);
        if (!held.add(marker)) {
            return false;
        }
        FileChannel channel = lockedMarker(marker);
        if (channel == null) {
            held.remove(marker);
            return false;
        }
        exchange.setProperty(CHANNEL + marker, channel);
        // the input must still be there (another instance may have moved it since this poll listed it), and no
        // longer change (readLock=changed)
        if (!super.acquireExclusiveReadLock(operations, file, exchange)) {
            doReleaseExclusiveReadLock(file, exchange);
            return false;
        }
        return true;
    }

    /** Camel releases last, after moving the input to done/ or error/: whoever locks the marker next finds it gone. */
    @Override
    protected void doReleaseExclusiveReadLock(GenericFile<File> file, Exchange exchange) throws IOException {
        Path marker = marker(file);
        FileChannel channel = exchange.getProperty(CHANNEL + marker, FileChannel.class);
        if (channel == null) {
            return;
        }
        exchange.removeProperty(CHANNEL + marker);
        try (channel) {
            // deleted while still locked: whoever opened it meanwhile sees a different file at the path (lockedMarker)
            Files.deleteIfExists(marker);
        } finally {
            held.remove(marker);
        }
    }

    /**
     * The marker opened (created when missing) and locked by this process, or null when another process holds it.
     * Locked means ours only while the path still names the file locked: its owner deletes it before releasing.
     */
    private static FileChannel lockedMarker(Path marker) throws IOException {
        FileChannel channel = FileChannel.open(marker, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            Object opened = fileKey(marker);
            if (channel.tryLock() != null && opened != null && opened.equals(fileKey(marker))) {
                return channel;
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        channel.close();
        return null;
    }

    /**
     * The file's identity (device and inode on Unix), null when it is gone. Windows has no file key: there the
     * creation time tells a re-created marker apart.
     */
    private static Object fileKey(Path path) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            return attributes.fileKey() != null ? attributes.fileKey() : attributes.creationTime();
        } catch (NoSuchFileException gone) {
            return null;
        }
    }

    /** {@code <name>.camelLock}, the name shortened when the suffix would not fit (decision D49). */
    private static Path marker(GenericFile<File> file) {
        Path input = Path.of(file.getAbsoluteFilePath());
        return input.resolveSibling(InboxNames.fitting(input.getFileName().toString(),
                FileComponent.DEFAULT_LOCK_FILE_POSTFIX) + FileComponent.DEFAULT_LOCK_FILE_POSTFIX);
    }
}
