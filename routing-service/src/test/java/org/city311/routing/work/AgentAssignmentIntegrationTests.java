package org.city311.routing.work;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.city311.contracts.EventContract;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.ServiceIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Departments that assign new work to their agents (the sample city: Sanitation in turn, Housing to the least
 * loaded), against the real broker and store. Only the test of each department routes work to it.
 */
@ServiceIntegrationTest
@EmbeddedKafka(partitions = 3, topics = { "city311.requests", "city311.routing", "city311.feedback",
        "city311.catalog" })
class AgentAssignmentIntegrationTests {

    private static final List<String> SANITATION = List.of("d.okafor", "l.chen", "r.alvarez");
    private static final List<String> HOUSING = List.of("s.goldberg", "t.nguyen", "a.haddad");

    @Autowired
    WebTestClient web;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Test
    void shouldAssignSanitationRequestsToItsAgentsInTurnLeavingThemRouted() {
        // when three missed collections are routed to Sanitation, one after the other
        List<String> agents = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = newRequestId();
            ConsumerRecord<String, String> routed = route(id, "missed-collection");

            // then each routed event names the agent, keeps the contract, and the request is still to be accepted
            EventContract.assertValid(routed.value());
            String agent = agent(routed.value());
            assertThat(routed.value()).contains("\"department\":\"sanitation\"").contains("\"status\":\"routed\"");
            web.get().uri(RoutedRequests.WORK + "/{id}", id).exchange().expectStatus().isOk().expectBody()
                    .jsonPath("$.status").isEqualTo("routed").jsonPath("$.agent").isEqualTo(agent);
            web.get().uri("/api/departments/sanitation/queue?agent={agent}", agent).exchange().expectBody()
                    .jsonPath("$[?(@.requestId == '" + id + "')].status").isEqualTo("routed");
            agents.add(agent);
        }

        // and each agent had a turn, in the order of the list
        int first = SANITATION.indexOf(agents.get(0));
        assertThat(first).isNotNegative();
        assertThat(agents).containsExactly(SANITATION.get(first), SANITATION.get((first + 1) % 3),
                SANITATION.get((first + 2) % 3));
    }

    @Test
    void shouldAssignHousingRequestsToTheAgentWithTheFewestOpenRequests() {
        // given three heat complaints, one for each of Housing's agents (none had any: ties go by the list)
        String first = newRequestId();
        String second = newRequestId();
        String third = newRequestId();
        assertThat(agent(route(first, "heat-hot-water").value())).isEqualTo("s.goldberg");
        assertThat(agent(route(second, "heat-hot-water").value())).isEqualTo("t.nguyen");
        assertThat(agent(route(third, "heat-hot-water").value())).isEqualTo("a.haddad");

        // when t.nguyen resolves theirs, the next goes to t.nguyen, who now has the fewest open
        act(second, "resolve", Map.of("resolutionCode", "fixed")).jsonPath("$.agent").isEqualTo("t.nguyen");
        String fourth = newRequestId();
        assertThat(agent(route(fourth, "heat-hot-water").value())).isEqualTo("t.nguyen");

        // when someone else accepts s.goldberg's, it becomes theirs and in progress; s.goldberg has none left
        act(first, "accept", Map.of("agent", "m.rivera")).jsonPath("$.status").isEqualTo("in_progress")
                .jsonPath("$.agent").isEqualTo("m.rivera");
        String fifth = newRequestId();
        assertThat(agent(route(fifth, "heat-hot-water").value())).isEqualTo("s.goldberg");

        // and the queue shows each agent's share
        assertThat(HOUSING).allSatisfy(agent -> web.get()
                .uri("/api/departments/housing/queue?agent={agent}", agent).exchange().expectBody()
                .jsonPath("$.length()").isEqualTo(1));
    }

    @Test
    void shouldAssignATransferredRequestInItsNewDepartmentWithoutAcceptingIt() {
        // given a pothole Transportation accepted (Transportation does not assign work)
        String id = newRequestId();
        ConsumerRecord<String, String> routed = route(id, "pothole");
        assertThat(routed.value()).doesNotContain("\"agent\"");
        act(id, "accept", Map.of("agent", "k.osei")).jsonPath("$.agent").isEqualTo("k.osei");

        // when it is transferred to Sanitation, then one of Sanitation's agents has it, still to accept
        act(id, "transfer", Map.of("toDepartment", "sanitation", "reason", "Debris, not a pothole"))
                .jsonPath("$.status").isEqualTo("routed").jsonPath("$.department").isEqualTo("sanitation");
        String agent = (String) work(id).get("agent");
        assertThat(agent).isIn(SANITATION);
        ConsumerRecord<String, String> transferred = new KafkaTestClient(brokers).await("city311.routing",
                record -> id.equals(record.key()) && record.value().contains("city311.request.transferred.v1"),
                Duration.ofSeconds(20));
        EventContract.assertValid(transferred.value());
        assertThat(transferred.value()).contains("\"agent\":\"" + agent + "\"");

        // and accepting it makes it the accepting agent's
        act(id, "accept", Map.of("agent", "p.kowalski")).jsonPath("$.agent").isEqualTo("p.kowalski")
                .jsonPath("$.status").isEqualTo("in_progress");
    }

    private ConsumerRecord<String, String> route(String id, String serviceCode) {
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        kafka.send("city311.requests", id, KafkaTestClient.example(EventContract.example("city311.request.created.v1"), id)
                .replaceAll("\"serviceCode\"\\s*:\\s*\"[^\"]+\"", "\"serviceCode\": \"" + serviceCode + "\""));
        return kafka.await("city311.routing", record -> id.equals(record.key()), Duration.ofSeconds(20));
    }

    private WebTestClient.BodyContentSpec act(String id, String action, Map<String, Object> body) {
        return web.post().uri(RoutedRequests.WORK + "/{id}/{action}", id, action).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isOk().expectBody();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> work(String id) {
        return web.get().uri(RoutedRequests.WORK + "/{id}", id).exchange().expectStatus().isOk().expectBody(Map.class)
                .returnResult().getResponseBody();
    }

    private static String agent(String cloudEvent) {
        return cloudEvent.replaceAll("(?s).*\"agent\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }

    private static String newRequestId() {
        return "311-" + (10_000_000 + (int) (Math.random() * 89_999_999));
    }
}
