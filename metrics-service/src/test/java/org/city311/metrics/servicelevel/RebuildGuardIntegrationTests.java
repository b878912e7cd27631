package org.city311.metrics.servicelevel;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.city311.metrics.MetricsServiceApplication;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.MongoWireTestServer;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.TestClock;
import org.city311.platform.test.TestTokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rebuild deletes the ledgers and reads the topics again: when retention has already removed a topic's first
 * events, it would lose the requests they began, so it is refused and the stored ledgers are kept.
 */
@ServiceIntegrationTest
@EmbeddedKafka(partitions = 3, topics = { "city311.requests", "city311.routing", "city311.feedback" })
// a context (and broker) of its own: records are deleted from its topics, which no other class may share
@org.springframework.test.annotation.DirtiesContext
@org.springframework.test.context.TestPropertySource(properties = "city311.test.context=rebuild-guard")
class RebuildGuardIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Value("${spring.mongodb.database}")
    String database;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Test
    void shouldKeepTheLedgersWhenTheTopicsNoLongerHoldTheirFirstEvents() throws Exception {
        // given a month of requests folded into ledgers
        Scenario scenario = Scenario.of(30, TestClock.START, "311-5");
        new KafkaTestClient(brokers).sendAll(scenario.deliveries(5));
        // (stored once the count of entries is the same at two reads a second apart: the events were sent at once)
        java.util.concurrent.atomic.AtomicLong previous = new java.util.concurrent.atomic.AtomicLong(-1);
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            long now = entriesStored();
            return now > 0 && now == previous.getAndSet(now);
        });
        long entries = entriesStored();

        // and retention having removed the first event of every partition of request-created
        try (Admin admin = Admin.create(adminConfig())) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int partition = 0; partition < 3; partition++) {
                latest.put(new TopicPartition("city311.requests", partition), OffsetSpec.latest());
            }
            Map<TopicPartition, RecordsToDelete> removed = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((partition, end) -> {
                if (end.offset() > 0) {
                    removed.put(partition, RecordsToDelete.beforeOffset(1));
                }
            });
            assertThat(removed).isNotEmpty();
            admin.deleteRecords(removed).all().get();
        }

        // when an instance is started to rebuild
        try (ConfigurableApplicationContext rebuild = start()) {
            ServiceLevels levels = rebuild.getBean(ServiceLevels.class);
            await().atMost(WAIT).until(() -> levels.owned().equals(Set.of(0, 1, 2)));

            // then it refused: every entry stored is still there, none lost with the removed events
            assertThat(entriesStored()).isEqualTo(entries);
        }
    }

    private long entriesStored() {
        List<Document> ledgers = mongo.find(org.springframework.data.mongodb.core.query.Query.query(
                org.springframework.data.mongodb.core.query.Criteria.where("_id").regex("^311-5")), Document.class,
                LedgerStore.COLLECTION).collectList().block(WAIT);
        return ledgers.stream().mapToLong(ledger -> ledger.getList("entries", Object.class).size()).sum();
    }

    private Properties adminConfig() {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        return config;
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(MetricsServiceApplication.class)
                .initializers(context -> context.getBeanFactory().registerSingleton("clock", new TestClock()))
                .run("--server.port=0",
                        "--logging.level.root=WARN",
                        "--spring.mongodb.uri=" + MongoWireTestServer.uri(),
                        "--spring.mongodb.database=" + database,
                        "--spring.cloud.stream.kafka.binder.brokers=" + brokers,
                        "--spring.cloud.stream.bindings.serviceEvents-in-0.group=rebuild-"
                                + UUID.randomUUID().toString().substring(0, 8),
                        "--city311.metrics.rebuild=true",
                        "--city311.security.jwt.public-key-location=" + TestTokens.publicKeyLocation());
    }
}
