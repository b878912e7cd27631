package org.city311.request;

import java.time.Duration;

import org.city311.contracts.EventContract;
import org.city311.platform.test.KafkaTestClient;
import org.city311.request.catalog.ServiceCatalogCopy;

import static org.awaitility.Awaitility.await;

/** The catalog routing-service would have published: the contract's example. */
public final class CatalogFixture {

    private CatalogFixture() {
    }

    public static void published(ServiceCatalogCopy catalog, String brokers) {
        if (catalog.find().isEmpty()) {
            new KafkaTestClient(brokers).send("city311.catalog", "catalog",
                    EventContract.example("city311.catalog.published.v1"));
            await().atMost(Duration.ofSeconds(20)).until(() -> catalog.find().isPresent());
        }
    }
}
