package org.sr2fhir.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Kafka cluster mode (issue 15): whether this instance works alone or as part of a cluster sharing an inputs topic,
 * and which part it plays. Documented in the "sr2fhir.cluster" section of application.yaml; the routes are
 * routes/kafka-cluster.yaml. A record of its own (as {@link DicomWebProperties}) so that the standalone settings
 * stay as they were.
 *
 * @param mode   standalone: the sources deliver themselves; kafka: sources publish, workers deliver (decision D76)
 * @param role   what this instance does in kafka mode (decision D77)
 * @param kafka  the broker, topics and consumer group
 * @param leader how the instance that runs the once-per-cluster sources (the DICOMweb poller) is elected (D81)
 */
@Validated
@ConfigurationProperties("sr2fhir.cluster")
public record ClusterProperties(@NotNull @DefaultValue("standalone") Mode mode,
                                @NotNull @DefaultValue("both") Role role,
                                @Valid @NotNull @DefaultValue Kafka kafka,
                                @Valid @NotNull @DefaultValue Leader leader) {

    /** standalone: one instance delivers what its sources take; kafka: sources and workers meet on a topic. */
    public enum Mode { STANDALONE, KAFKA }

    /** source: the inbox and DICOMweb publish; worker: deliver the topic's records; both: one instance does all. */
    public enum Role {
        SOURCE, WORKER, BOTH;

        public boolean publishes() {
            return this != WORKER;
        }

        public boolean delivers() {
            return this != SOURCE;
        }
    }

    /**
     * @param brokers         bootstrap servers, host:port[,host:port...]
     * @param inputsTopic     one record per input: the input's bytes, key = Study Instance UID
     * @param deadLetterTopic the records of reports that failed for good, with the reason in headers
     * @param groupId         the workers' consumer group: every worker of a cluster uses the same
     * @param maxRecordSize   the largest record the source publishes (bytes + key + headers); 1 MB is the broker's
     *                        default message.max.bytes. A larger input is refused at the source (decision D80)
     */
    public record Kafka(@NotBlank @DefaultValue("127.0.0.1:9092") String brokers,
                        @NotBlank @DefaultValue("sr2fhir-inputs") String inputsTopic,
                        @NotBlank @DefaultValue("sr2fhir-dead-letters") String deadLetterTopic,
                        @NotBlank @DefaultValue("sr2fhir-workers") String groupId,
                        @NotNull @DefaultValue("1MB") DataSize maxRecordSize) {

        @AssertTrue(message = "sr2fhir.cluster.kafka.max-record-size must be between 16KB and 1GB")
        public boolean isRecordSizeInRange() {
            return maxRecordSize == null || maxRecordSize.toBytes() >= 16 * 1024 && maxRecordSize.toBytes() <= (1L << 30);
        }

        @AssertTrue(message = "sr2fhir.cluster.kafka.inputs-topic and dead-letter-topic must differ")
        public boolean isTopicsDistinct() {
            return inputsTopic == null || !inputsTopic.equals(deadLetterTopic);
        }
    }

    /**
     * @param service   file: Camel's FileLockClusterService on {@code fileRoot}, a folder every instance shares
     *                  (one machine, or a shared file system); registry: the CamelClusterService the Camel context
     *                  already has (e.g. camel-kubernetes' Lease-based KubernetesClusterService, README)
     * @param namespace the master: namespace of the elected routes
     * @param fileRoot  the shared folder of the file lock
     */
    public record Leader(@NotNull @DefaultValue("file") LeaderService service,
                         @NotBlank @DefaultValue("sr2fhir") String namespace,
                         @NotNull @DefaultValue("data/cluster") Path fileRoot) {
    }

    /** Where the leader election lives. */
    public enum LeaderService { FILE, REGISTRY }

    public boolean kafkaMode() {
        return mode == Mode.KAFKA;
    }
}
