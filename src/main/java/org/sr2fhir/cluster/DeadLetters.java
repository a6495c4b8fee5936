package org.sr2fhir.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.sr2fhir.config.ClusterProperties;

/**
 * Sends dead letters back to the inputs topic (decision D83): the input's bytes, key and input headers as the source
 * published them, plus {@code sr2fhirResentFrom} (the dead letter's topic-partition@offset); the failure headers stay
 * behind. Either one dead letter (REST API {@code POST /api/reports/{id}/resend}, from the journal row's kafka_record)
 * or every one not resent before ({@code java -jar sr2fhir.jar resend-dead-letters}): the consumer group
 * {@code <group-id>-resend} remembers how far the dead-letter topic was resent, committed only after every resent
 * record was acknowledged (acks=all), so an interrupted resend sends some again at worst (harmless: decision D5).
 */
public class DeadLetters {
    /** Header of a resent record: the dead letter it came from. */
    public static final String RESENT_FROM = "sr2fhirResentFrom";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ClusterProperties.Kafka kafka;

    public DeadLetters(ClusterProperties cluster) {
        this.kafka = cluster.kafka();
    }

    /** The dead letter at {@code position} (topic-partition@offset, as the journal holds it) back to the inputs topic. */
    public RecordMetadata resend(String position) {
        TopicPartition partition = partitionOf(position);
        long offset = Long.parseLong(position.substring(position.lastIndexOf('@') + 1));
        try (KafkaConsumer<String, byte[]> consumer = consumer(null);
             KafkaProducer<String, byte[]> producer = producer()) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, offset);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() == offset) {
                        return producer.send(input(record)).get();
                    }
                }
            }
            throw new IllegalStateException("no dead letter at " + position + " (deleted by the topic's retention?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while resending " + position, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the Kafka broker did not take the resent record of " + position, e.getCause());
        }
    }

    /**
     * Every dead letter not resent before, in order, back to the inputs topic; {@code each} hears of each one.
     *
     * @return how many were resent
     */
    public int resendAll(Consumer<ConsumerRecord<String, byte[]>> each) {
        int resent = 0;
        try (KafkaConsumer<String, byte[]> consumer = consumer(kafka.groupId() + "-resend");
             KafkaProducer<String, byte[]> producer = producer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(kafka.deadLetterTopic(), TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, TIMEOUT) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + kafka.deadLetterTopic() + " to its end " + end);
                }
                List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue; // arrived during this resend: left for the next one
                    }
                    sent.add(producer.send(input(record)));
                    done.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
                    each.accept(record);
                }
                for (var future : sent) {
                    future.get();
                }
                resent += sent.size();
                consumer.commitSync(done);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while resending dead letters", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the Kafka broker did not take a resent record", e.getCause());
        }
        return resent;
    }

    /** The inputs-topic record of a dead letter: its key and bytes, the input headers, where it was resent from. */
    private ProducerRecord<String, byte[]> input(ConsumerRecord<String, byte[]> deadLetter) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(kafka.inputsTopic(), deadLetter.key(), deadLetter.value());
        for (Header header : deadLetter.headers()) {
            if (KafkaRecords.INPUT_HEADERS.contains(header.key())) {
                record.headers().add(header);
            }
        }
        record.headers().add(RESENT_FROM, (deadLetter.topic() + "-" + deadLetter.partition() + "@" + deadLetter.offset())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return record;
    }

    private TopicPartition partitionOf(String position) {
        int at = position.lastIndexOf('@');
        int dash = position.lastIndexOf('-', at);
        if (at < 0 || dash < 0 || !position.substring(0, dash).equals(kafka.deadLetterTopic())) {
            throw new IllegalArgumentException("not a record of " + kafka.deadLetterTopic() + ": " + position);
        }
        return new TopicPartition(position.substring(0, dash), Integer.parseInt(position.substring(dash + 1, at)));
    }

    private KafkaConsumer<String, byte[]> consumer(String groupId) {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.brokers());
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        if (groupId != null) {
            settings.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        return new KafkaConsumer<>(settings);
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties settings = new Properties();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.brokers());
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        settings.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(kafka.maxRecordSize().toBytes()));
        return new KafkaProducer<>(settings);
    }
}
