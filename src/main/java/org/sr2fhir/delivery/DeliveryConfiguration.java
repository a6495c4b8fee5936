package org.sr2fhir.delivery;

import org.sr2fhir.inbox.InboxReadLock;

import java.io.File;
import org.apache.camel.LoggingLevel;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.sr2fhir.config.Sr2FhirProperties;

/** The delivery beans the inbox route refers to by name (routes/sr-to-fhir.yaml), built from sr2fhir.delivery.*. */
@Configuration(proxyBeanMethods = false)
public class DeliveryConfiguration {

    /**
     * Camel's side of the retries. {@link DeliveryRetry} (retryWhile) decides whether to try again and how long to
     * pause (header CamelRedeliveryDelay); maximumRedeliveries does not apply. The pause is asynchronous (decision
     * D60): the next attempt is scheduled on {@link DeliveryExecutors#RETRIES}, so a report waiting for it holds no
     * delivery thread and the others go on; a stop runs the pending attempts at once (D54). Redelivery stays allowed
     * while Camel stops, so a report's last failure still reaches the error handling (its error file) rather than
     * being dropped by Camel.
     */
    @Bean
    public RedeliveryPolicy deliveryRedeliveryPolicy() {
        RedeliveryPolicy policy = new RedeliveryPolicy();
        policy.setRedeliveryDelay(0);
        policy.setAsyncDelayedRedelivery(true);
        policy.setAllowRedeliveryWhileStopping(true);
        // one line per retry comes from DeliveryRetry; the final failure is logged by FailureReport
        policy.setRetryAttemptedLogLevel(LoggingLevel.DEBUG);
        policy.setLogExhausted(false);
        policy.setLogRetryStackTrace(false);
        return policy;
    }

    /**
     * The inbox's read lock (routes/sr-to-fhir.yaml, exclusiveReadLockStrategy): a file is taken once it is at least
     * 1 s old and unchanged over 0.5 s, waiting at most 10 s for that, then skipped until the next poll. A custom
     * strategy does not read the endpoint's readLock* options, so the timings are set here.
     */
    @Bean
    public InboxReadLock inboxReadLock() {
        InboxReadLock lock = new InboxReadLock();
        lock.setMinAge(1000);
        lock.setCheckInterval(500);
        lock.setTimeout(10000);
        return lock;
    }

    /**
     * Content hashes (SHA-256) of the inputs already delivered, kept in a file that survives restarts: the same
     * bytes dropped again, under any name, are not sent again; a changed file with an old name is. The newest
     * {@code delivered-store-entries} hashes are kept (about 65 bytes each on disk).
     */
    @Bean(destroyMethod = "stop")
    public IdempotentRepository deliveredInputs(Sr2FhirProperties properties) {
        Sr2FhirProperties.Delivery delivery = properties.delivery();
        File store = new File(delivery.deliveredStore());
        FileIdempotentRepository repository = (FileIdempotentRepository) FileIdempotentRepository
                .fileIdempotentRepository(store, delivery.deliveredStoreEntries(), 65L * delivery.deliveredStoreEntries());
        repository.start();
        return repository;
    }
}
