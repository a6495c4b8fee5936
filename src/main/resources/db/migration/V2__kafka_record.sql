-- Kafka cluster mode (issue 15): the record an input became (source: topic-partition@offset in the inputs topic) or
-- came from and, once dead-lettered, where its dead letter is (worker). NULL in standalone mode.
ALTER TABLE report ADD COLUMN kafka_record VARCHAR(512);
