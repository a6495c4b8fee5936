package org.sr2fhir.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
    @TempDir
    Path dir;

    @Test
    void deliveredRejectedAndWatermarkSurviveARestart() throws IOException {
        Path file = dir.resolve("sub/checkpoint.jsonl");
        CheckpointStore store = new CheckpointStore(file);
        store.recordDelivered("1.2.3.1");
        store.recordRejected("1.2.3.2", "Basic Text SR, not a TID 1500 measurement report");
        store.recordWatermark(Instant.parse("2026-11-23T10:00:00Z"));
        store.recordRejected("1.2.3.3", "unreadable");
        store.recordDelivered("1.2.3.3"); // a rejected SR fixed and re-sent by hand counts as delivered
        store.close();

        CheckpointStore reopened = new CheckpointStore(file);

        assertThat(reopened.isDelivered("1.2.3.1")).isTrue();
        assertThat(reopened.isDelivered("1.2.3.3")).isTrue();
        assertThat(reopened.rejected()).containsExactly(
                java.util.Map.entry("1.2.3.2", "Basic Text SR, not a TID 1500 measurement report"));
        assertThat(reopened.isSettled("1.2.3.4")).isFalse();
        assertThat(reopened.deliveredCount()).isEqualTo(2);
        assertThat(reopened.watermark()).contains(Instant.parse("2026-11-23T10:00:00Z"));
        // compaction on open: one line per settled SR plus the watermark, and no temporary file left behind
        assertThat(Files.readAllLines(file)).hasSize(4);
        assertThat(Files.list(file.getParent())).containsExactly(file);
    }

    @Test
    void aClearedRejectionIsFetchedAgainAfterARestartToo() throws IOException {
        Path file = dir.resolve("checkpoint.jsonl");
        CheckpointStore store = new CheckpointStore(file);
        store.recordRejected("1.2.3.2", "refused");
        store.recordRejected("1.2.3.5", "refused");
        store.clearRejected("1.2.3.2"); // a resend (issue 12)
        store.clearRejected("1.2.3.9"); // never rejected: nothing written
        assertThat(store.isSettled("1.2.3.2")).isFalse();
        assertThat(Files.readAllLines(file)).hasSize(3);
        store.close();

        CheckpointStore reopened = new CheckpointStore(file);
        assertThat(reopened.isSettled("1.2.3.2")).isFalse();
        assertThat(reopened.rejected()).containsOnlyKeys("1.2.3.5");
    }

    @Test
    void aTornLastLineFromACrashMidWriteIsIgnored() throws IOException {
        Path file = dir.resolve("checkpoint.jsonl");
        CheckpointStore store = new CheckpointStore(file);
        store.recordDelivered("1.2.3.1");
        store.close();
        Files.writeString(file, "{\"event\":\"delivered\",\"sopInstanceUid\":\"1.2.3", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        CheckpointStore reopened = new CheckpointStore(file);

        assertThat(reopened.isDelivered("1.2.3.1")).isTrue();
        assertThat(reopened.deliveredCount()).isEqualTo(1);
        reopened.recordDelivered("1.2.3.2");
        reopened.close();
        assertThat(new CheckpointStore(file).deliveredCount()).isEqualTo(2);
    }

    @Test
    void aDamagedLineInTheMiddleStopsTheStartRatherThanForgetting() throws IOException {
        Path file = dir.resolve("checkpoint.jsonl");
        Files.writeString(file, "garbage\n{\"event\":\"delivered\",\"sopInstanceUid\":\"1.2\",\"at\":\"x\"}\n");

        assertThatThrownBy(() -> new CheckpointStore(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("line 1");
        assertThat(Files.readString(file)).startsWith("garbage"); // left as it was for a person to look at
    }
}
