package org.city311.feedback.requests;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.city311.contracts.EventContract;
import org.city311.feedback.Events;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.StoreCommands;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each event of a request's life costs feedback-service in store commands, counted by the driver: one event at
 * a time, each waited for until the service's consumer group has committed it. The sweeps and the delivery of
 * invitations run once an hour here, so only the consumers' own commands are counted.
 */
@ServiceIntegrationTest
@Import(StoreCommands.Recording.class)
@EmbeddedKafka(partitions = 3, topics = { "city311.requests", "city311.routing", "city311.feedback" })
@TestPropertySource(properties = { "city311.surveys.sweep-interval=1h", "city311.surveys.delivery-interval=1h",
        "city311.follow-ups.sweep-interval=1h" })
class RoutingEventCostIntegrationTests {

    private static final List<String> TOPICS = List.of("city311.requests", "city311.routing");

    @Autowired
    StoreCommands commands;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    KafkaTestClient kafka;

    @BeforeEach
    void kafka() {
        kafka = new KafkaTestClient(brokers);
    }

    @Test
    void shouldSpendStoreCommandsOnlyOnTheEventsSurveysNeed() {
        // given a request's whole life, as its events come
        String id = Events.newRequestId();
        Map<String, String> life = new LinkedHashMap<>();
        life.put("created", Events.example(EventContract.REQUEST_CREATED, id, Map.of()));
        life.put("routed", routing(id, EventContract.REQUEST_ROUTED, 1));
        life.put("accepted", routing(id, EventContract.REQUEST_ACCEPTED, 2));
        life.put("updated", routing(id, EventContract.REQUEST_UPDATED, 3));
        life.put("put-on-hold", routing(id, EventContract.REQUEST_PUT_ON_HOLD, 4));
        life.put("resumed", routing(id, EventContract.REQUEST_RESUMED, 5));
        life.put("transferred", routing(id, EventContract.REQUEST_TRANSFERRED, 6));
        life.put("resolved", routing(id, EventContract.REQUEST_RESOLVED, 7));
        life.put("reopened", routing(id, EventContract.REQUEST_REOPENED, 8));
        life.put("resolved again", routing(id, EventContract.REQUEST_RESOLVED, 9));
        life.put("closed", routing(id, EventContract.REQUEST_CLOSED, 10));
        life.put("resolved again, redelivered late", routing(id, EventContract.REQUEST_RESOLVED, 9));

        // when they are consumed one by one
        Map<String, List<StoreCommands.Command>> cost = new LinkedHashMap<>();
        StoreCommands.awaitConsumed(brokers, "feedback-service", TOPICS);
        life.forEach((step, event) -> {
            commands.clear();
            kafka.send("created".equals(step) ? "city311.requests" : "city311.routing", id, event);
            StoreCommands.awaitConsumed(brokers, "feedback-service", TOPICS);
            cost.put(step, new ArrayList<>(commands.naming(id)));
        });
        List<String> table = new ArrayList<>();
        cost.forEach((step, spent) -> table.add("| " + step + " | " + spent.size() + " | "
                + StoreCommands.tally(spent) + " |"));
        System.out.println("feedback-service store commands per event:\n" + String.join("\n", table));

        // then the events surveys do not care about cost nothing, and the others a write each (a resolution: the
        // request, its invitation, its window)
        assertThat(cost.get("created")).hasSize(1);
        assertThat(cost.get("routed")).hasSize(1);
        for (String step : List.of("accepted", "updated", "put-on-hold", "resumed")) {
            assertThat(cost.get(step)).as(step).isEmpty();
        }
        assertThat(cost.get("transferred")).hasSize(1);
        assertThat(cost.get("resolved")).hasSize(3);
        assertThat(cost.get("reopened")).hasSize(2);
        assertThat(cost.get("resolved again")).hasSize(4);
        assertThat(cost.get("closed")).hasSize(2);
        assertThat(cost.get("resolved again, redelivered late")).hasSizeLessThanOrEqualTo(2);
        // and nothing is read first to decide, nor looked for by anything but an id
        assertThat(cost.values().stream().flatMap(List::stream)).noneMatch(command -> command.name().equals("find")
                && (command.collection().equals("requests") || command.json().contains("\"requestId\"")));
    }

    private static String routing(String id, String type, long sequence) {
        return Events.example(type, id, Map.of("sequence", sequence));
    }
}
