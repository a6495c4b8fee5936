package org.sr2fhir.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.event.EventListener;

/**
 * Watches {@code /actuator/health/readiness} from the moment the management port is open (its web server's
 * start-up event reaches the application context) until it answers 200, keeping each change of answer.
 */
@TestConfiguration(proxyBeanMethods = false)
class ReadinessWatcher {
    record Observation(int status, String body) {
    }

    private final List<Observation> seen = new ArrayList<>();
    private final CountDownLatch up = new CountDownLatch(1);

    @EventListener
    public void managementPortOpened(WebServerInitializedEvent event) {
        if (!"management".equals(event.getApplicationContext().getServerNamespace())) {
            return;
        }
        ManagementClient client = new ManagementClient(event.getWebServer().getPort());
        Thread watcher = new Thread(() -> {
            long end = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (System.nanoTime() < end) {
                ManagementClient.Answer answer = client.get("/actuator/health/readiness");
                synchronized (seen) {
                    if (seen.isEmpty() || seen.get(seen.size() - 1).status() != answer.status()) {
                        seen.add(new Observation(answer.status(), answer.body()));
                    }
                }
                if (answer.status() == 200) {
                    up.countDown();
                    return;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "readiness-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** The answers seen until readiness was UP (each change once). */
    List<Observation> awaitUp(Duration timeout) {
        try {
            if (!up.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("readiness not UP within " + timeout + "; seen " + seen);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }
}
