package org.sr2fhir.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.FileEndpoint;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read lock within one JVM; across processes (a second instance, a kill -9) AppProcessIT proves it with the
 * real jar, as operating-system locks are per process.
 */
class InboxReadLockTest {
    private final CamelContext camel = new DefaultCamelContext();
    private final InboxReadLock lock = new InboxReadLock();

    @TempDir
    Path inbox;

    InboxReadLockTest() {
        lock.setCheckInterval(10);
    }

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    @Test
    void aFileInFlightIsNotTakenTwiceAndItsMarkerGoesWithTheRelease() throws Exception {
        GenericFile<File> file = input("report.dcm");
        Exchange first = new DefaultExchange(camel);

        assertThat(lock.acquireExclusiveReadLock(null, file, first)).isTrue();
        assertThat(inbox.resolve("report.dcm.camelLock")).exists();
        assertThat(lock.acquireExclusiveReadLock(null, file, new DefaultExchange(camel))).isFalse();

        lock.releaseExclusiveReadLockOnCommit(null, file, first);
        assertThat(inbox.resolve("report.dcm.camelLock")).doesNotExist();
        Exchange again = new DefaultExchange(camel);
        assertThat(lock.acquireExclusiveReadLock(null, file, again)).isTrue();
        lock.releaseExclusiveReadLockOnRollback(null, file, again);
    }

    @Test
    void theMarkerOfACrashedInstanceIsTakenOver() throws Exception {
        GenericFile<File> file = input("report.dcm");
        Files.createFile(inbox.resolve("report.dcm.camelLock"));
        Exchange exchange = new DefaultExchange(camel);

        assertThat(lock.acquireExclusiveReadLock(null, file, exchange)).isTrue();
        lock.releaseExclusiveReadLockOnCommit(null, file, exchange);
        assertThat(inbox.resolve("report.dcm.camelLock")).doesNotExist();
    }

    @Test
    void aFileMovedAwayMeanwhileIsSkippedWithoutAMarkerLeft() throws Exception {
        GenericFile<File> file = input("report.dcm");
        Files.delete(inbox.resolve("report.dcm"));

        assertThat(lock.acquireExclusiveReadLock(null, file, new DefaultExchange(camel))).isFalse();
        assertThat(inbox).isEmptyDirectory();
    }

    @Test
    void orphanedMarkersAreDeletedAtStartUpButNotTheOnesInUse() throws Exception {
        GenericFile<File> inFlight = input("busy.dcm");
        Exchange exchange = new DefaultExchange(camel);
        assertThat(lock.acquireExclusiveReadLock(null, inFlight, exchange)).isTrue();
        Files.createFile(inbox.resolve("crashed.dcm.camelLock"));

        lock.prepareOnStartup(null, camel.getEndpoint("file:" + inbox, FileEndpoint.class));

        assertThat(inbox.resolve("crashed.dcm.camelLock")).doesNotExist();
        assertThat(inbox.resolve("busy.dcm.camelLock")).exists();
        lock.releaseExclusiveReadLockOnAbort(null, inFlight, exchange);
        assertThat(inbox.resolve("busy.dcm.camelLock")).doesNotExist();
    }

    private GenericFile<File> input(String name) throws Exception {
        Path path = Files.writeString(inbox.resolve(name), "DICM");
        GenericFile<File> file = new GenericFile<>();
        file.setFile(path.toFile());
        file.setAbsoluteFilePath(path.toString());
        return file;
    }
}
