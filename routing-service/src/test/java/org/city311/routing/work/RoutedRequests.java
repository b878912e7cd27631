package org.city311.routing.work;

import java.time.Duration;

import org.city311.contracts.EventContract;
import org.city311.platform.test.KafkaTestClient;

/** Requests filed through the broker, as request-service files them, and routed by the service under test. */
final class RoutedRequests {

    /**
     * The department actions' path as clients call it, written out here rather than taken from the controller, so
     * that renaming the public path fails these tests.
     */
    static final String WORK = "/api/work";

    private RoutedRequests() {
    }

    /** A new request for the service, once routing-service has published its routing. */
    static String routed(String brokers, String serviceCode) {
        String id = "311-" + (10_000_000 + (int) (Math.random() * 89_999_999));
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        kafka.send("city311.requests", id, KafkaTestClient.example(EventContract.example("city311.request.created.v1"), id)
                .replaceAll("\"serviceCode\"\\s*:\\s*\"[^\"]+\"", "\"serviceCode\": \"" + serviceCode + "\""));
        kafka.await("city311.routing", record -> id.equals(record.key()), Duration.ofSeconds(20));
        return id;
    }
}
