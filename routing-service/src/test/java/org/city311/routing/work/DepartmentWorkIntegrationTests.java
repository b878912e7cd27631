package org.city311.routing.work;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.city311.contracts.EventContract;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.TestClock;
import org.city311.platform.test.TestTokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** A department working its queue through every action, against the real broker and store. */
@ServiceIntegrationTest
class DepartmentWorkIntegrationTests {

    @Autowired
    WebTestClient web;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Autowired
    TestClock clock;

    @Autowired
    WorkStore store;

    @Autowired
    QueueChanges queueChanges;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Test
    void shouldWorkARequestThroughEveryActionPublishingEachInOrder() {
        String id = routed("pothole");

        // accept, a public note, hold and resume, transfer (a hop), accept there, resolve, reopen, resolve again
        act(id, "accept", Map.of("agent", "m.rivera")).jsonPath("$.status").isEqualTo("in_progress")
                .jsonPath("$.agent").isEqualTo("m.rivera");
        act(id, "update", Map.of("note", "Crew scheduled for Thursday")).jsonPath("$.status").isEqualTo("in_progress");
        act(id, "hold", Map.of("reason", "Waiting for gas company mark-out")).jsonPath("$.status").isEqualTo("on_hold");
        act(id, "resume", Map.of()).jsonPath("$.status").isEqualTo("in_progress");
        act(id, "transfer", Map.of("toDepartment", "environmental-protection", "reason", "Water main break"))
                .jsonPath("$.status").isEqualTo("routed").jsonPath("$.department").isEqualTo("environmental-protection")
                .jsonPath("$.transfers").isEqualTo(1).jsonPath("$.agent").doesNotExist();
        act(id, "accept", Map.of("agent", "k.osei")).jsonPath("$.status").isEqualTo("in_progress");
        act(id, "resolve", Map.of("resolutionCode", "fixed", "note", "Main repaired, road patched"))
                .jsonPath("$.status").isEqualTo("resolved");
        act(id, "reopen", Map.of("reason", "Resident reports the hole is back")).jsonPath("$.status").isEqualTo("reopened");
        act(id, "resolve", Map.of("resolutionCode", "fixed")).jsonPath("$.status").isEqualTo("resolved")
                .jsonPath("$.version").isEqualTo(10);

        // then every action is on the topic, in order, with its sequence, each keeping the contract
        List<ConsumerRecord<String, String>> events = new KafkaTestClient(brokers)
                .readAll("city311.routing", Duration.ofSeconds(3)).stream()
                .filter(record -> id.equals(record.key())).toList();
        assertThat(events).extracting(record -> type(record.value())).containsExactly(
                "city311.request.routed.v1", "city311.request.accepted.v1", "city311.request.updated.v1",
                "city311.request.put-on-hold.v1", "city311.request.resumed.v1", "city311.request.transferred.v1",
                "city311.request.accepted.v1", "city311.request.resolved.v1", "city311.request.reopened.v1",
                "city311.request.resolved.v1");
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).value()).contains("\"sequence\":" + (i + 1));
            if (EventContract.types().contains(type(events.get(i).value()))) {
                EventContract.assertValid(events.get(i).value());
            }
        }
        assertThat(events.get(5).value()).contains("\"fromDepartment\":\"transportation\"")
                .contains("\"toDepartment\":\"environmental-protection\"").contains("\"hop\":1");
    }

    @Test
    void shouldAnswerEachActionWithTheStateItLeftInTheStore() {
        // given a pothole (an action's answer is worked out from what was read and written, not read back)
        String id = routed("pothole");
        List<Map.Entry<String, Map<String, Object>>> actions = List.of(
                Map.entry("assign", Map.of("agent", "k.osei")),
                Map.entry("accept", Map.of("agent", "m.rivera")),
                Map.entry("update", Map.of("note", "Crew scheduled", "visibility", "internal")),
                Map.entry("hold", Map.of("reason", "Waiting for the gas company")),
                Map.entry("resume", Map.of()),
                Map.entry("hold", Map.of("reason", "Waiting again")),
                Map.entry("resolve", Map.of("resolutionCode", "fixed", "note", "Patched while waiting")),
                Map.entry("reopen", Map.of("reason", "The hole is back")),
                Map.entry("transfer", Map.of("toDepartment", "sanitation", "reason", "Trash in the hole")),
                Map.entry("accept", Map.of("agent", "d.okafor")),
                Map.entry("resolve", Map.of("resolutionCode", "fixed")));

        for (Map.Entry<String, Map<String, Object>> action : actions) {
            // when each action is taken, ten minutes after the one before
            clock.advance(Duration.ofMinutes(10));
            Map<String, Object> answered = web.post().uri(RoutedRequests.WORK + "/{id}/{action}", id, action.getKey())
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(action.getValue()).exchange()
                    .expectStatus().isOk().expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
                    }).returnResult().getResponseBody();

            // then its answer is the work as the store now has it
            Map<String, Object> stored = web.get().uri(RoutedRequests.WORK + "/{id}", id).exchange()
                    .expectStatus().isOk().expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
                    }).returnResult().getResponseBody();
            assertThat(answered).as("the answer to %s", action.getKey()).isEqualTo(stored);
        }
    }

    @Test
    void shouldWriteOnlyOnTheVersionReadAndRaiseTheQueuesEitherWay() {
        // given routed work, at version 1, in Transportation (whose counter exists) and a department whose counter
        // does not exist yet
        String id = routed("pothole");
        String newDepartment = "nowhere-" + java.util.UUID.randomUUID();
        long before = queueChanges.of("transportation").block(Duration.ofSeconds(5));

        // when a write is guarded on a version the item does not have, then it is not made
        Query stale = Query.query(Criteria.where("_id").is(id).and("sequence").is(7));
        WorkItem item = store.find(id).block(Duration.ofSeconds(5));
        assertThat(store.update(item, stale, new Update().set("agent", "k.osei"),
                List.of("transportation", newDepartment), new AgentLoads.Moves()).block(Duration.ofSeconds(5))).isFalse();
        assertThat(store.update(item, stale, new Update().set("agent", "k.osei"), List.of("transportation"),
                new AgentLoads.Moves()).block(Duration.ofSeconds(5))).isFalse();
        web.get().uri(RoutedRequests.WORK + "/{id}", id).exchange().expectBody().jsonPath("$.agent").doesNotExist();
        // though the queues' counters count it (a client reads once more for nothing; no change is ever hidden)
        assertThat(queueChanges.of("transportation").block(Duration.ofSeconds(5))).isEqualTo(before + 2);
        assertThat(queueChanges.of(newDepartment).block(Duration.ofSeconds(5))).isEqualTo(1);

        // and on the version it has, it is made, whether the counters exist or not
        Query current = Query.query(Criteria.where("_id").is(id).and("sequence").is(1));
        assertThat(store.update(item, current, new Update().set("agent", "k.osei"),
                List.of("transportation", "nowhere-" + java.util.UUID.randomUUID()), new AgentLoads.Moves())
                .block(Duration.ofSeconds(5)))
                .isTrue();
        web.get().uri(RoutedRequests.WORK + "/{id}", id).exchange().expectBody().jsonPath("$.agent")
                .isEqualTo("k.osei");
    }

    @Test
    void shouldPublishAHoldTransferOrReopenReasonMarkedInternalAsSuch() {
        String id = routed("pothole");

        // when an agent puts it on hold for staff's eyes only, resumes, transfers it likewise, and it is resolved and
        // reopened with a public reason (the default)
        act(id, "hold", Map.of("reason", "Contractor disputes our invoice", "visibility", "internal"))
                .jsonPath("$.status").isEqualTo("on_hold");
        act(id, "resume", Map.of());
        act(id, "transfer", Map.of("toDepartment", "environmental-protection", "reason", "Their contractor's job",
                "visibility", "internal"));
        act(id, "resolve", Map.of("resolutionCode", "fixed"));
        act(id, "reopen", Map.of("reason", "Resident reports it is back")).jsonPath("$.status").isEqualTo("reopened");
        // and a visibility that is neither is refused, changing nothing
        act(id, "resolve", Map.of("resolutionCode", "fixed"));
        act(id, "reopen", Map.of("reason", "Hidden?", "visibility", "secret"), 400);

        // then each event says who may read its reason, within its contract
        List<ConsumerRecord<String, String>> events = new KafkaTestClient(brokers)
                .readAll("city311.routing", Duration.ofSeconds(3)).stream()
                .filter(record -> id.equals(record.key())).toList();
        Map<String, String> visibilities = new java.util.LinkedHashMap<>();
        for (ConsumerRecord<String, String> event : events) {
            EventContract.assertValid(event.value());
            if (event.value().contains("\"reason\"")) {
                visibilities.put(type(event.value()), event.value().replaceAll("(?s).*\"visibility\"\\s*:\\s*\"([^\"]+)\".*", "$1"));
            }
        }
        assertThat(visibilities).containsExactly(Map.entry("city311.request.put-on-hold.v1", "internal"),
                Map.entry("city311.request.transferred.v1", "internal"),
                Map.entry("city311.request.reopened.v1", "public"));
        assertThat(events).hasSize(7);
    }

    @Test
    void shouldSayWhyARequestWasTransferredFromTheFixedListAndCountOneWithoutAsOther() {
        String id = routed("pothole");

        // when it is transferred as filed for the wrong service, then back without a reason code, and once more
        // with one that is not on the list
        act(id, "transfer", Map.of("toDepartment", "environmental-protection", "reason", "A water main, not a pothole",
                "reasonCode", "wrong-service-chosen-at-intake"));
        act(id, "transfer", Map.of("toDepartment", "transportation", "reason", "Main repaired; patch it"));
        act(id, "transfer", Map.of("toDepartment", "environmental-protection", "reason", "?",
                "reasonCode", "wrong-everything"), 400);

        // then each transferred event says why, within its contract (none given: other), and the refused one
        // changed nothing
        List<String> transfers = new KafkaTestClient(brokers).readAll("city311.routing", Duration.ofSeconds(3))
                .stream().filter(record -> id.equals(record.key())).map(ConsumerRecord::value)
                .filter(event -> type(event).equals("city311.request.transferred.v1")).toList();
        transfers.forEach(EventContract::assertValid);
        assertThat(transfers).extracting(event -> event.replaceAll("(?s).*\"reasonCode\"\\s*:\\s*\"([^\"]+)\".*", "$1"))
                .containsExactly("wrong-service-chosen-at-intake", "other");
        web.get().uri(RoutedRequests.WORK + "/{id}", id).exchange().expectBody().jsonPath("$.department")
                .isEqualTo("transportation");
    }

    @Test
    void shouldRefuseIllegalActionsWithoutChangingAnything() {
        String id = routed("streetlight-out");

        // resuming what is not on hold, reopening what is not resolved: conflicts
        act(id, "resume", Map.of(), 409);
        act(id, "reopen", Map.of("reason", "why not"), 409);
        // transferring to the same department is a conflict, to an unknown one invalid
        act(id, "transfer", Map.of("toDepartment", "transportation", "reason", "same"), 409);
        act(id, "transfer", Map.of("toDepartment", "ministry-of-magic", "reason", "lost"), 422);
        // a hold without a reason is a bad request
        act(id, "hold", Map.of(), 400);

        web.get().uri(RoutedRequests.WORK + "/{id}", id).exchange().expectStatus().isOk()
                .expectHeader().valueEquals("ETag", "\"1\"")
                .expectBody().jsonPath("$.status").isEqualTo("routed").jsonPath("$.version").isEqualTo(1);
    }

    @Test
    void shouldRefuseAnActionOnAVersionSomeoneElseChangedMeanwhile() {
        String id = routed("streetlight-out");
        // two agents load version 1; the first accepts
        web.post().uri(RoutedRequests.WORK + "/{id}/accept", id).header("If-Match", "\"1\"").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("agent", "first")).exchange().expectStatus().isOk()
                .expectHeader().valueEquals("ETag", "\"2\"");
        // the second, still at version 1, is told to reload instead of overwriting
        web.post().uri(RoutedRequests.WORK + "/{id}/hold", id).header("If-Match", "\"1\"").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "late")).exchange().expectStatus().isEqualTo(412)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        web.get().uri(RoutedRequests.WORK + "/{id}", id).exchange().expectBody().jsonPath("$.agent").isEqualTo("first")
                .jsonPath("$.status").isEqualTo("in_progress");
    }

    @Test
    void shouldPublishDueTimesFromTheStandardAndOrderTheQueueByThem() {
        // heat (hours on a 24/7 desk) is due long before a street light (business days)
        String light = routed("streetlight-out");
        String heat = routed("heat-hot-water");

        ConsumerRecord<String, String> routed = new KafkaTestClient(brokers).await("city311.routing",
                record -> heat.equals(record.key()), Duration.ofSeconds(20));
        assertThat(routed.value()).contains("\"resolutionDueAt\"").contains("\"firstActionDueAt\"");

        WorkView heatWork = web.get().uri(RoutedRequests.WORK + "/{id}", heat).exchange().expectStatus().isOk()
                .expectBody(WorkView.class).returnResult().getResponseBody();
        WorkView lightWork = web.get().uri(RoutedRequests.WORK + "/{id}", light).exchange().expectStatus().isOk()
                .expectBody(WorkView.class).returnResult().getResponseBody();
        assertThat(heatWork.firstActionDueAt()).isBeforeOrEqualTo(heatWork.resolutionDueAt());
        assertThat(heatWork.resolutionDueAt()).isBefore(lightWork.resolutionDueAt());
        assertThat(heatWork.overdue()).isFalse();

        // and housing's queue lists it with its flags; an unknown status filter is refused
        web.get().uri("/api/departments/housing/queue?status=routed").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.requestId == '" + heat + "')].dueSoon").isEqualTo(false);
        web.get().uri("/api/departments/housing/queue?status=lost").exchange().expectStatus().isBadRequest();
    }

    @Test
    void shouldReopenWhenTheCustomerSaysNotResolvedAndCloseWhenTheyConfirm() {
        String id = routed("pothole");
        act(id, "resolve", Map.of("resolutionCode", "fixed")).jsonPath("$.version").isEqualTo(2);
        // a note after the resolution does not make the customer's answer about it stale
        act(id, "update", Map.of("note", "Photo of the repair added")).jsonPath("$.version").isEqualTo(3);
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        String notResolved = feedback(id, false, 2);

        // when the resident answers the survey "not resolved", and the event arrives twice
        kafka.send("city311.feedback", id, notResolved);
        kafka.send("city311.feedback", id, notResolved);

        // then the request is reopened once
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                web.get().uri(RoutedRequests.WORK + "/{id}", id).exchange().expectBody().jsonPath("$.status").isEqualTo("reopened"));
        act(id, "resolve", Map.of("resolutionCode", "fixed", "note", "Re-patched")).jsonPath("$.version").isEqualTo(5);

        // and a late confirmation of the first resolution changes nothing, one of the second closes it
        kafka.send("city311.feedback", id, feedback(id, true, 2));
        kafka.send("city311.feedback", id, feedback(id, true, 5));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                web.get().uri(RoutedRequests.WORK + "/{id}", id).exchange().expectBody().jsonPath("$.status").isEqualTo("closed")
                        .jsonPath("$.version").isEqualTo(6));
        List<String> types = kafka.readAll("city311.routing", Duration.ofSeconds(2)).stream()
                .filter(record -> id.equals(record.key())).map(record -> type(record.value())).toList();
        assertThat(types).containsExactly("city311.request.routed.v1", "city311.request.resolved.v1",
                "city311.request.updated.v1", "city311.request.reopened.v1", "city311.request.resolved.v1",
                "city311.request.closed.v1");
    }

    @Test
    void shouldCloseWhenTheSurveyWindowEndsWithoutAnAnswer() {
        String id = routed("streetlight-out");
        act(id, "resolve", Map.of("resolutionCode", "fixed")).jsonPath("$.version").isEqualTo(2);

        new KafkaTestClient(brokers).send("city311.feedback", id,
                KafkaTestClient.example(EventContract.example("city311.survey.expired.v1"), id)
                        .replaceAll("\"resolutionSequence\"\\s*:\\s*\\d+", "\"resolutionSequence\": 2"));

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                web.get().uri(RoutedRequests.WORK + "/{id}", id).exchange().expectBody().jsonPath("$.status").isEqualTo("closed"));
    }

    private static String feedback(String id, boolean resolved, long resolutionSequence) {
        return KafkaTestClient.example(EventContract.example("city311.feedback.received.v1"), id)
                .replaceAll("\"resolved\"\\s*:\\s*(true|false)", "\"resolved\": " + resolved)
                .replace("\"requestId\"", "\"resolutionSequence\": " + resolutionSequence + ", \"requestId\"");
    }

    record WorkView(String requestId, java.time.Instant firstActionDueAt, java.time.Instant resolutionDueAt,
            boolean overdue, boolean dueSoon) {
    }

    @Test
    void shouldDecideOnTheStoredWorkWhenAnotherInstanceChangedItSinceThisOneWroteIt() {
        // given three routed potholes, each changed since by another instance of the service (this one remembers
        // them as it routed them: routed, nobody's, in Transportation, version 1)
        String accepted = routed("pothole");
        String noted = routed("pothole");
        String moved = routed("pothole");
        changeElsewhere(accepted, new Update().set("status", WorkStatus.IN_PROGRESS).set("agent", "a.other"));
        changeElsewhere(noted, new Update());
        changeElsewhere(moved, new Update().set("department", "sanitation"));

        // then an accept of work someone else accepted is refused as the store has it, and changes nothing
        act(accepted, "accept", Map.of("agent", "k.osei"), 409);
        web.get().uri(RoutedRequests.WORK + "/{id}", accepted).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.agent").isEqualTo("a.other").jsonPath("$.version").isEqualTo(2);

        // and a caller who saw the version the store has (2, not the 1 remembered here) is not told it changed
        web.post().uri(RoutedRequests.WORK + "/{id}/resolve", noted).header(HttpHeaders.IF_MATCH, "\"2\"")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("resolutionCode", "fixed")).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.version").isEqualTo(3)
                .jsonPath("$.status").isEqualTo("resolved");

        // and Transportation's agent may no longer act on work that has moved to Sanitation
        web.post().uri(RoutedRequests.WORK + "/{id}/accept", moved)
                .header(HttpHeaders.AUTHORIZATION, TestTokens.agent("transportation"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("routed to sanitation"));
        web.post().uri(RoutedRequests.WORK + "/{id}/accept", moved)
                .header(HttpHeaders.AUTHORIZATION, TestTokens.agent("sanitation"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.department").isEqualTo("sanitation")
                .jsonPath("$.version").isEqualTo(3);
    }

    /** What another instance of the service does: a change of the item with its next version, unknown here. */
    private void changeElsewhere(String id, Update update) {
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id)), update.inc("sequence", 1), WorkItem.class)
                .block(Duration.ofSeconds(10));
    }

    private String routed(String serviceCode) {
        return RoutedRequests.routed(brokers, serviceCode);
    }

    private WebTestClient.BodyContentSpec act(String id, String action, Map<String, Object> body) {
        return web.post().uri(RoutedRequests.WORK + "/{id}/{action}", id, action).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isOk().expectBody();
    }

    private void act(String id, String action, Map<String, Object> body, int status) {
        web.post().uri(RoutedRequests.WORK + "/{id}/{action}", id, action).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    private static String type(String cloudEvent) {
        return cloudEvent.replaceAll("(?s).*\"type\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }
}
