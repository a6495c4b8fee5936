package org.sr2fhir.dicomweb.camel;

import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ThreadPoolProfile;

/**
 * The threads of the DICOMweb poll's parallel split (decision D62 as amended by issue 15): sr2fhir.delivery.concurrency
 * threads and an unbounded queue, bound in Camel's registry as {@value #NAME} (Camel's pool: it stops with Camel).
 * Not the inbox's {@code deliveryThreads}: Camel runs a parallel split's own loop on the split's pool too, and with
 * that pool's bounded queue and CallerRuns policy a delivery thread would run a later SR itself while an earlier SR
 * of the same study, whose turn it waits for, sits in the queue behind it: a deadlock (certain at concurrency 1). In
 * a queue that never refuses, the SRs start in listing order, so the SR a thread waits for has started already.
 * The queue holds at most one poll's SRs, which the poll holds anyway.
 */
public final class DicomWebThreads {
    public static final String NAME = "dicomWebThreads";

    public DicomWebThreads(CamelContext camelContext, int concurrency) {
        ThreadPoolProfile profile = new ThreadPoolProfile(NAME);
        profile.setPoolSize(concurrency);
        profile.setMaxPoolSize(concurrency);
        // Camel makes 0 or less a queue of no room (SynchronousQueue), which refuses an SR whenever no thread is idle
        // that instant: the split's loop would then run it itself and start no further SR meanwhile
        profile.setMaxQueueSize(Integer.MAX_VALUE);
        camelContext.getRegistry().bind(NAME, ExecutorService.class,
                camelContext.getExecutorServiceManager().newThreadPool(this, "sr2fhir-dicomweb", profile));
    }
}
