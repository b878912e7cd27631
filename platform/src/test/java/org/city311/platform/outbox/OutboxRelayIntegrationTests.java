package org.city311.platform.outbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;
import org.city311.platform.test.MongoWireTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The relay against a real broker and the Mongo-wire store. */
class OutboxRelayIntegrationTests {

    private static EmbeddedKafkaKraftBroker broker;
    private static MongoClient client;
    private static ReactiveMongoTemplate mongo;
    private static DefaultKafkaProducerFactory<byte[], byte[]> producers;

    @BeforeAll
    static void startBrokerAndStore() {
        broker = new EmbeddedKafkaKraftBroker(1, 1, "city311.relay-test");
        broker.afterPropertiesSet();
        client = MongoClients.create(MongoWireTestServer.uri());
        mongo = new ReactiveMongoTemplate(client, "relay_test");
        producers = new DefaultKafkaProducerFactory<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.ACKS_CONFIG, "all"));
    }

    @AfterAll
    static void stopBrokerAndStore() {
        producers.destroy();
        client.close();
        broker.destroy();
    }

    @Test
    void shouldPublishWhatWasWrittenJustBeforeShutdownInItsLastPass() {
        // a relay that polls only once an hour: nothing but its last pass can publish the event written below
        OutboxRelay relay = new OutboxRelay(mongo, new KafkaTemplate<>(producers), new OutboxProperties(
                List.of("things"), Duration.ofHours(1), Duration.ofSeconds(30), 200, List.of(), 1, (short) 1),
                new SimpleMeterRegistry());
        relay.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> relay.completedPasses() == 1); // its first, at start

        mongo.insert(new Document("_id", "thing-1").append("outbox", List.of(new Document("eventId", "event-1")
                .append("topic", "city311.relay-test").append("key", "311-00000001")
                .append("payload", "{\"id\":\"event-1\"}"))), "things").block();
        assertThat(pending("thing-1")).as("waiting for the relay").hasSize(1);
        assertThat(relay.completedPasses()).as("no pass since the first").isEqualTo(1);

        relay.stop();

        assertThat(pending("thing-1")).as("published and marked sent while stopping").isEmpty();
        assertThat(relay.isRunning()).isFalse();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "relay-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            consumer.subscribe(List.of("city311.relay-test"));
            List<ConsumerRecord<String, String>> records = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            assertThat(records).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo("311-00000001");
                assertThat(record.value()).isEqualTo("{\"id\":\"event-1\"}");
                assertThat(new String(record.headers().lastHeader("content-type").value()))
                        .startsWith("application/cloudevents+json");
            });
        }
    }

    private static List<Document> pending(String id) {
        Document document = mongo.findById(id, Document.class, "things").block();
        return document == null ? List.of() : document.getList("outbox", Document.class);
    }
}
