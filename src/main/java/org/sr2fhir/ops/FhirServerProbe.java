package org.sr2fhir.ops;

import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.sr2fhir.fhirclient.ConnectionFailure;
import org.sr2fhir.fhirclient.FhirServer;

/**
 * Asks the FHIR server for its CapabilityStatement ({@code GET [base]/metadata}) through {@link FhirServer}, the one
 * component that reads it (same client, TLS and authentication as the transactions). The call runs in the background when the last answer is
 * older than {@link #FRESH}; readers get the last answer at once, so a health check never waits for a slow server
 * (a HAPI server may take seconds to build its first CapabilityStatement). Nothing is sent until someone asks.
 */
public class FhirServerProbe implements AutoCloseable {
    static final Duration FRESH = Duration.ofSeconds(5);

    /** The outcome of one probe: the server's FHIR version, or the error. */
    public record Answer(Instant at, String fhirVersion, String software, String error) {
        public boolean up() {
            return error == null;
        }
    }

    private final FhirServer server;
    private final Clock clock;
    private final ExecutorService background = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "fhir-server-probe");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile Answer last;

    public FhirServerProbe(FhirServer server, Clock clock) {
        this.server = server;
        this.clock = clock;
    }

    /** The last answer ("not checked yet" before the first); starts a new probe when it is stale. */
    public Answer answer() {
        Answer answer = last;
        Instant now = clock.instant();
        if ((answer == null || !now.isBefore(answer.at().plus(FRESH))) && probing.compareAndSet(false, true)) {
            background.execute(() -> {
                try {
                    last = probe();
                } finally {
                    probing.set(false);
                }
            });
        }
        return answer != null ? answer : new Answer(now, null, null, "not checked yet");
    }

    /** Probes now, in the background; the answer also becomes the last one (the start-up log's, decision D73). */
    public CompletableFuture<Answer> probeNow() {
        return CompletableFuture.supplyAsync(() -> {
            Answer answer = probe();
            last = answer;
            return answer;
        }, background);
    }

    private Answer probe() {
        try {
            FhirServer.Metadata metadata = server.readMetadata();
            return new Answer(clock.instant(), metadata.fhirVersion(), metadata.software(), null);
        } catch (FhirClientConnectionException e) {
            return new Answer(clock.instant(), null, null, ConnectionFailure.describe(e));
        } catch (RuntimeException e) {
            return new Answer(clock.instant(), null, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        background.shutdownNow();
    }
}
