package org.sr2fhir.cluster;

import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.sr2fhir.config.ClusterProperties;
import org.sr2fhir.config.Sr2FhirProperties;

/**
 * Kafka cluster mode (issue 15): binds {@code sr2fhir.cluster.*} and, in kafka mode with
 * {@code leader.service=file}, gives the Camel context the cluster service the {@code master:} routes of
 * routes/kafka-cluster.yaml elect their leader with (decision D81): Camel's FileLockClusterService on the shared
 * folder {@code leader.file-root}. With {@code registry} the context's own cluster service is used (README: a
 * Kubernetes Lease).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClusterProperties.class)
public class ClusterConfiguration {

    /** Placeholder of routes/kafka-cluster.yaml: sr2fhir.cluster.kafka.max-record-size in bytes (the producer's limit). */
    static final String MAX_RECORD_BYTES = "sr2fhir.cluster.kafka.max-record-bytes";
    /** Placeholder of routes/kafka-cluster.yaml: the workers' max.poll.interval.ms, the retry budget and 5 minutes. */
    static final String MAX_POLL_INTERVAL = "sr2fhir.cluster.kafka.max-poll-interval-ms";

    @Bean
    public CamelContextConfiguration clusterLeaderElection(ClusterProperties cluster, Sr2FhirProperties properties) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext context) {
                // values the routes need in a unit camel-kafka takes, derived from the settings (not settings themselves)
                context.getPropertiesComponent().addInitialProperty(MAX_RECORD_BYTES,
                        String.valueOf(cluster.kafka().maxRecordSize().toBytes()));
                context.getPropertiesComponent().addInitialProperty(MAX_POLL_INTERVAL,
                        String.valueOf(properties.delivery().retryBudget().plusMinutes(5).toMillis()));
                if (cluster.kafkaMode() && cluster.leader().service() == ClusterProperties.LeaderService.FILE) {
                    FileLockClusterService service = new FileLockClusterService();
                    service.setId("sr2fhir-file-lock");
                    service.setRoot(cluster.leader().fileRoot().toAbsolutePath().toString());
                    // a leader that died is replaced within about 10 s
                    service.setAcquireLockDelay(1, TimeUnit.SECONDS);
                    service.setAcquireLockInterval(5, TimeUnit.SECONDS);
                    try {
                        context.addService(service);
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot start the file lock cluster service on "
                                + service.getRoot(), e);
                    }
                }
            }

            @Override
            public void afterApplicationStart(CamelContext context) {
                // nothing: the master: routes start with the context
            }
        };
    }
}
