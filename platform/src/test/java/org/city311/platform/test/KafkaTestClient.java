package org.city311.platform.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for tests: what an outside system would see on, or put on, our topics. */
public final class KafkaTestClient {

    private final String brokers;

    public KafkaTestClient(String brokers) {
        this.brokers = brokers;
    }

    /** Sends a structured-mode CloudEvent as the producing service would. */
    public void send(String topic, String key, String cloudEventJson) {
        send(topic, null, key, cloudEventJson);
    }

    /** Sends a structured-mode CloudEvent to the given partition (null: the one its key falls in). */
    public void send(String topic, Integer partition, String key, String cloudEventJson) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, partition, key, cloudEventJson);
            record.headers().add("content-type", "application/cloudevents+json; charset=UTF-8"
                    .getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
        catch (Exception ex) {
            throw new IllegalStateException("could not send to " + topic, ex);
        }
    }

    /** A record to send: its topic, key (the request id) and structured-mode CloudEvent. */
    public record Outgoing(String topic, String key, String cloudEventJson) {
    }

    /** Sends many records through one producer, in the given order. */
    public void sendAll(List<Outgoing> records) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (Outgoing outgoing : records) {
                ProducerRecord<String, String> record = new ProducerRecord<>(outgoing.topic(), outgoing.key(),
                        outgoing.cloudEventJson());
                record.headers().add("content-type", "application/cloudevents+json; charset=UTF-8"
                        .getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            }
            producer.flush();
        }
    }

    /** Reads the topic from the beginning until a record matches, or fails after the timeout. */
    public ConsumerRecord<String, String> await(String topic, Predicate<ConsumerRecord<String, String>> match,
            Duration timeout) {
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = newConsumer()) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (match.test(record)) {
                        return record;
                    }
                    seen.add(record);
                }
            }
        }
        throw new AssertionError("no matching record on " + topic + " within " + timeout + "; saw " + seen.size()
                + " others: " + seen.stream().map(ConsumerRecord::value).toList());
    }

    /** Every record on the topic now, from the beginning (waits briefly for stragglers). */
    public List<ConsumerRecord<String, String>> readAll(String topic, Duration quietPeriod) {
        List<ConsumerRecord<String, String>> all = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = newConsumer()) {
            consumer.subscribe(List.of(topic));
            long quietUntil = System.nanoTime() + quietPeriod.toNanos();
            while (System.nanoTime() < quietUntil) {
                var records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    records.forEach(all::add);
                    quietUntil = System.nanoTime() + quietPeriod.toNanos();
                }
            }
        }
        return all;
    }

    /** A consumer of its own group, reading from the beginning. */
    private KafkaConsumer<String, String> newConsumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // partitions added while we read must be seen at once
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 500,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
    }

    /**
     * A contract example re-aimed at another request, with a fresh event id, at the example's own times
     * (2026-11-23T14:05:12Z and after): an hour after the services' {@link TestClock} starts, so a request filed
     * by the test is filed before the example's routing, resolution or feedback, on whatever day the tests run.
     */
    public static String example(String exampleJson, String requestId) {
        return exampleJson.replace("311-00000042", requestId)
                .replaceFirst("\"id\"\\s*:\\s*\"[^\"]+\"", "\"id\": \"" + UUID.randomUUID() + "\"");
    }
}
