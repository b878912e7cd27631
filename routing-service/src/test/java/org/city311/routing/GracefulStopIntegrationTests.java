package org.city311.routing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.MongoWireTestServer;
import org.city311.platform.test.ServiceIntegrationTest;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.integration.config.GlobalChannelInterceptor;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.support.ChannelInterceptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * routing-service stopping (SIGTERM: the context closed) while each of its two consumers has a record in hand that it
 * cannot finish (as when the store stops answering): it stops within 10 s, and its outbox's last pass has published
 * what was waiting.
 */
@EmbeddedKafka(partitions = 3, topics = { "city311.requests", "city311.routing", "city311.feedback" })
class GracefulStopIntegrationTests {

    /** The input bindings' threads hold here, inside their consumer, until the test lets them go. */
    static final Set<String> busy = ConcurrentHashMap.newKeySet();
    static final CountDownLatch letGo = new CountDownLatch(1);

    @Test
    void shouldStopWithinTenSecondsWithItsOutboxFlushedWhileBothConsumersAreBusy(EmbeddedKafkaBroker broker)
            throws Exception {
        KafkaTestClient kafka = new KafkaTestClient(broker.getBrokersAsString());
        ConfigurableApplicationContext service = new SpringApplicationBuilder(RoutingServiceApplication.class,
                BusyConsumers.class)
                .initializers(new ServiceIntegrationTest.Infrastructure(broker.getBrokersAsString()))
                // the relay sweeps once an hour and the event below wakes nothing: only its last pass at stop can
                // publish it
                .run("--server.port=0", "--logging.level.root=WARN", "--logging.level.org.city311=INFO",
                        "--city311.outbox.sweep-interval=1h");
        String database = service.getEnvironment().getProperty("spring.mongodb.database");
        try {
            // given both consumers busy with a record each (once the group is settled: a consumer held in its record
            // cannot take part in a rebalance, which would keep the other one waiting for its partitions)
            await().atMost(Duration.ofSeconds(60)).until(() -> settled(broker, "routing-service",
                    Set.of("city311.requests", "city311.feedback")));
            kafka.send("city311.requests", "311-80000001", "{\"specversion\":\"1.0\"}");
            kafka.send("city311.feedback", "311-80000001", "{\"specversion\":\"1.0\"}");
            await().atMost(Duration.ofSeconds(60)).until(() -> busy.size() == 2);
            // and an event waiting in the outbox
            service.getBean(ReactiveMongoTemplate.class).insert(new Document("_id", "311-80000002")
                    .append("outbox", List.of(new Document("eventId", "stop-test-event")
                            .append("topic", "city311.routing").append("key", "311-80000002")
                            .append("payload", "{\"id\":\"stop-test-event\"}"))), "work").block();

            // when it is stopped
            long started = System.nanoTime();
            service.close();
            Duration stopping = Duration.ofNanos(System.nanoTime() - started);

            // then it stopped within 10 s (one busy binding alone used to hold it 10 s, one after the other)
            assertThat(stopping).as("time to stop").isLessThan(Duration.ofSeconds(10));
            // and the waiting event is on its topic, and no longer waiting in the store
            kafka.await("city311.routing", record -> "311-80000002".equals(record.key()), Duration.ofSeconds(20));
            try (MongoClient client = MongoClients.create(MongoWireTestServer.uri())) {
                Document stored = new ReactiveMongoTemplate(client, database)
                        .findById("311-80000002", Document.class, "work").block();
                assertThat(stored.getList("outbox", Document.class)).as("events still waiting").isEmpty();
            }
        }
        finally {
            letGo.countDown();
            service.close();
        }
    }

    /**
     * Whether the group is stable with every topic's partitions assigned to its members. Not yet, too, while the group
     * does not exist: the broker answers "not found" until the first consumer has joined.
     */
    private static boolean settled(EmbeddedKafkaBroker broker, String group, Set<String> topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.getBrokersAsString()))) {
            ConsumerGroupDescription description;
            try {
                description = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                        .get(10, TimeUnit.SECONDS);
            }
            catch (ExecutionException ex) {
                if (ex.getCause() instanceof GroupIdNotFoundException) {
                    return false;
                }
                throw ex;
            }
            Set<String> assigned = new java.util.HashSet<>();
            description.members().forEach(member -> member.assignment().topicPartitions()
                    .forEach(partition -> assigned.add(partition.topic())));
            return description.groupState() == GroupState.STABLE && assigned.containsAll(topics);
        }
    }

    /** Holds each input binding's thread inside its consumer, as a store that stopped answering would. */
    @Configuration(proxyBeanMethods = false)
    static class BusyConsumers {

        @Bean
        @GlobalChannelInterceptor(patterns = { "requestEvents-in-0", "feedbackEvents-in-0" })
        ChannelInterceptor holdConsumers() {
            return new ChannelInterceptor() {
                @Override
                public Message<?> preSend(Message<?> message, MessageChannel channel) {
                    busy.add(channel.toString());
                    try {
                        letGo.await(5, TimeUnit.MINUTES);
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                    return message;
                }
            };
        }
    }
}
