package org.sr2fhir.delivery;

import jakarta.annotation.PreDestroy;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import org.sr2fhir.config.Sr2FhirProperties;

/**
 * The thread pools the routes name (issue 15), sr2fhir.delivery.concurrency threads each. They are bound in Camel's
 * registry only, not as Spring beans: an executor bean would also become the application's scheduler of
 * {@code @Scheduled} tasks (the journal's pruning) and replace Spring Boot's task executor.
 */
@Component
public class DeliveryExecutors {
    /**
     * The delivery threads of the inbox route's {@code threads} step (decision D59), with a queue as long as the pool:
     * the inbox takes a few files ahead and no more. When both are full the report runs on the inbox's own thread
     * (rejection policy CallerRuns, as the {@code threads} step's own pools have), which takes no file meanwhile:
     * nothing is dropped, and one study's reports keep the order of their tickets (ReportSequencer) whichever thread
     * runs them. (Camel's Abort policy would fail the report instead.) Camel's own pool: it stops with Camel.
     */
    public static final String THREADS = "deliveryThreads";
    /**
     * Where the retry pauses are timed and the next attempts run (the error handlers' executorServiceRef, decision
     * D60): a report waiting for its retry holds no delivery thread.
     */
    public static final String RETRIES = "deliveryRetries";

    private final ScheduledThreadPoolExecutor retries;

    public DeliveryExecutors(CamelContext camelContext, Sr2FhirProperties properties) {
        int concurrency = properties.delivery().concurrency();
        ThreadPoolProfile profile = new ThreadPoolProfile(THREADS);
        profile.setPoolSize(concurrency);
        profile.setMaxPoolSize(concurrency);
        profile.setMaxQueueSize(concurrency);
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns);
        camelContext.getRegistry().bind(THREADS, ExecutorService.class,
                camelContext.getExecutorServiceManager().newThreadPool(this, "sr2fhir-delivery", profile));
        // an attempt converts and delivers like a first one: as many threads
        retries = new ScheduledThreadPoolExecutor(concurrency, new CustomizableThreadFactory("sr2fhir-retry-"));
        camelContext.getRegistry().bind(RETRIES, ScheduledExecutorService.class, retries);
    }

    /**
     * Decision D54: every pending retry pause ends now, its attempt runs at once (on the retry threads); the retry
     * decision, seeing the application stop, makes a failure final.
     */
    void endPendingPauses() {
        for (Runnable pending : retries.getQueue().toArray(Runnable[]::new)) {
            if (retries.remove(pending)) {
                retries.execute(pending);
            }
        }
    }

    @PreDestroy
    void shutdown() {
        retries.shutdownNow();
    }
}
