package org.sr2fhir.dicomweb;

import org.sr2fhir.privacy.Redaction;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DICOMweb source's memory across restarts: the SOP Instance UIDs delivered to the FHIR pipeline, those
 * rejected for good (with the reason), and the watermark of the last poll that left nothing to do.
 *
 * <p>Stored as a journal of JSON lines. Each event is appended and forced to disk before the call returns, so it
 * costs the same with ten or a million entries; a crash mid-append leaves at most a torn last line, which the
 * next start ignores. On start the journal is compacted: the current state is written to a temporary file,
 * forced, and atomically moved over the journal, so the file is always either the old or the new state.
 *
 * <p>A crash between delivering an SR and recording it means the SR is fetched and delivered again after the
 * restart; deterministic resource ids and PUT make that second delivery change nothing on the FHIR server
 * (decision D5). Not thread-safe by itself beyond the synchronized methods; one store per file.
 */
public final class CheckpointStore {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);

    /** One journal line. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Event(String event, String sopInstanceUid, String reason, String at) {
        static final String DELIVERED = "delivered";
        static final String REJECTED = "rejected";
        static final String WATERMARK = "watermark";
        static final String RETRY = "retry";
    }

    private final Path file;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, String> delivered = new LinkedHashMap<>();
    private final Map<String, String> rejected = new LinkedHashMap<>();
    private Instant watermark;
    private FileChannel journal;

    /** Opens (creating if needed) the journal at {@code file} and compacts it. */
    public CheckpointStore(Path file) throws IOException {
        this.file = file.toAbsolutePath();
        Files.createDirectories(this.file.getParent());
        if (Files.exists(this.file)) {
            load();
        }
        compact();
        journal = FileChannel.open(this.file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    public synchronized boolean isDelivered(String sopInstanceUid) {
        return delivered.containsKey(sopInstanceUid);
    }

    public synchronized boolean isRejected(String sopInstanceUid) {
        return rejected.containsKey(sopInstanceUid);
    }

    /** Delivered or rejected: nothing more to do for it. */
    public synchronized boolean isSettled(String sopInstanceUid) {
        return delivered.containsKey(sopInstanceUid) || rejected.containsKey(sopInstanceUid);
    }

    public synchronized int deliveredCount() {
        return delivered.size();
    }

    /** Rejected SOP Instance UIDs with their reasons, in the order they were recorded. */
    public synchronized Map<String, String> rejected() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(rejected));
    }

    public synchronized Optional<Instant> watermark() {
        return Optional.ofNullable(watermark);
    }

    public synchronized void recordDelivered(String sopInstanceUid) {
        String at = Instant.now().toString();
        append(new Event(Event.DELIVERED, sopInstanceUid, null, at));
        delivered.put(sopInstanceUid, at);
        rejected.remove(sopInstanceUid);
    }

    public synchronized void recordRejected(String sopInstanceUid, String reason) {
        String redacted = Redaction.redact(reason); // decision D47
        append(new Event(Event.REJECTED, sopInstanceUid, redacted, Instant.now().toString()));
        rejected.put(sopInstanceUid, redacted);
    }

    /** Clears the rejected mark of an SR, so the next poll fetches it again (a resend, issue 12). */
    public synchronized void clearRejected(String sopInstanceUid) {
        if (rejected.containsKey(sopInstanceUid)) {
            append(new Event(Event.RETRY, sopInstanceUid, null, Instant.now().toString()));
            rejected.remove(sopInstanceUid);
        }
    }

    public synchronized void recordWatermark(Instant at) {
        append(new Event(Event.WATERMARK, null, null, at.toString()));
        watermark = at;
    }

    public synchronized void close() throws IOException {
        journal.close();
    }

    private void load() throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            Event event;
            try {
                event = json.readValue(line, Event.class);
            } catch (JsonProcessingException e) {
                if (i == lines.size() - 1) {
                    LOG.warn("{}: ignoring a torn last line (interrupted write); its event will be redone", file);
                    continue;
                }
                throw new IOException(file + " line " + (i + 1) + " is not a checkpoint event; fix or move the file", e);
            }
            apply(event, i + 1);
        }
    }

    private void apply(Event event, int lineNumber) throws IOException {
        switch (String.valueOf(event.event())) {
            case Event.DELIVERED -> {
                delivered.put(event.sopInstanceUid(), event.at());
                rejected.remove(event.sopInstanceUid());
            }
            case Event.REJECTED -> rejected.put(event.sopInstanceUid(), event.reason());
            case Event.WATERMARK -> watermark = Instant.parse(event.at());
            case Event.RETRY -> rejected.remove(event.sopInstanceUid());
            default -> throw new IOException(file + " line " + lineNumber + ": unknown event " + event.event());
        }
    }

    /** Writes the current state to a temporary file and moves it over the journal atomically. */
    private void compact() throws IOException {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> e : delivered.entrySet()) {
            text.append(line(new Event(Event.DELIVERED, e.getKey(), null, e.getValue())));
        }
        for (Map.Entry<String, String> e : rejected.entrySet()) {
            text.append(line(new Event(Event.REJECTED, e.getKey(), e.getValue(), null)));
        }
        if (watermark != null) {
            text.append(line(new Event(Event.WATERMARK, null, null, watermark.toString())));
        }
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(out, text.toString());
            out.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void append(Event event) {
        try {
            writeFully(journal, line(event));
            journal.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the DICOMweb checkpoint " + file, e);
        }
    }

    private String line(Event event) throws JsonProcessingException {
        return json.writeValueAsString(event) + "\n";
    }

    private static void writeFully(FileChannel channel, String text) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
