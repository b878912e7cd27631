package org.city311.request.catalog;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.city311.contracts.EventContract;
import org.city311.platform.events.CloudEvent;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.MongoWireTestServer;
import org.city311.platform.test.ServiceIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.stream.config.BindingServiceProperties;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every request-service instance checks intake against the newest catalog: each reads the catalog topic whole
 * and takes a catalog into memory whichever instance stored it first; an older catalog replayed changes nothing.
 */
@ServiceIntegrationTest
// a catalog topic of one partition, which the binder grows to three as the service starts: as a topic a client
// created before the services' binders did
@EmbeddedKafka(partitions = 1, topics = "city311.catalog")
class ServiceCatalogCopyIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    @Autowired
    CloudEvents cloudEvents;

    @Autowired
    BindingServiceProperties bindings;

    @Autowired
    ServiceCatalogCopy catalog;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Test
    void shouldTakeACatalogPublishedOnAPartitionTheTopicGainedAfterTheServiceJoined() {
        // when routing-service publishes its catalog, and it lands on the last of the partitions the topic gained
        new KafkaTestClient(brokers).send("city311.catalog", 2, "catalog",
                EventContract.example(EventContract.CATALOG_PUBLISHED));

        // then intake has it within seconds, not after Kafka's five-minute metadata refresh
        await().atMost(Duration.ofSeconds(30)).until(() -> catalog.find().isPresent());
    }

    @Test
    void shouldReadTheCatalogTopicWholeInEveryInstance() {
        // a consumer group shared by the instances would hand the topic's one catalog to one of them only
        String catalogGroup = bindings.getBindingProperties("catalogEvents-in-0").getGroup();
        assertThat(catalogGroup).startsWith("request-service-catalog-")
                .isNotEqualTo(bindings.getBindingProperties("routingEvents-in-0").getGroup());
    }

    @Test
    void shouldGiveEveryInstanceTheCatalogWhicheverStoredItFirst() {
        // given two instances on one store, started before any catalog arrived
        try (MongoClient client = MongoClients.create(MongoWireTestServer.uri())) {
            ReactiveMongoTemplate store = new ReactiveMongoTemplate(client, "catalog_" + System.nanoTime());
            ServiceCatalogCopy first = new ServiceCatalogCopy(store);
            ServiceCatalogCopy second = new ServiceCatalogCopy(store);
            String example = EventContract.example(EventContract.CATALOG_PUBLISHED);
            CloudEvent published = cloudEvents.parse(example.getBytes(StandardCharsets.UTF_8));
            CatalogSnapshot catalog = JSON.treeToValue(JSON.readTree(example).path("data"), CatalogSnapshot.class);

            // when each reads the catalog, the first storing it
            first.on(catalog, published);
            second.on(catalog, published);

            // then both take requests for its services, not only the one whose write went in
            assertThat(first.find()).map(CatalogSnapshot::catalogVersion).contains(catalog.catalogVersion());
            assertThat(second.find()).map(CatalogSnapshot::catalogVersion).contains(catalog.catalogVersion());

            // and an older catalog replayed afterwards changes neither them nor a third started on the store
            CatalogSnapshot older = new CatalogSnapshot("2026.10.1", "older",
                    catalog.publishedAt().minus(Duration.ofDays(30)), catalog.city(), catalog.departments(),
                    catalog.services().subList(0, 1));
            second.on(older, published);
            for (ServiceCatalogCopy one : new ServiceCatalogCopy[] { first, second, new ServiceCatalogCopy(store) }) {
                assertThat(one.find()).map(CatalogSnapshot::catalogVersion).contains(catalog.catalogVersion());
                assertThat(one.find()).map(known -> known.services().size()).contains(catalog.services().size());
            }
        }
    }
}
