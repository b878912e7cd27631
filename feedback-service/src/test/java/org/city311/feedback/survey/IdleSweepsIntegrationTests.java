package org.city311.feedback.survey;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.Predicate;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.city311.feedback.Events;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.StoreCommands;
import org.city311.platform.test.TestClock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What feedback-service reads from the store when nothing happens, with a history stored: its periodic tasks (the
 * delivery of invitations, the sweeps of survey windows, invitations and follow-ups) tick every 200 ms here, and
 * must read nothing but by {@code _id} between their full sweeps (every 5 minutes of the service's clock).
 */
@ServiceIntegrationTest
@Import(StoreCommands.Recording.class)
@EmbeddedKafka(partitions = 3, topics = { "city311.requests", "city311.routing", "city311.feedback" })
@TestPropertySource(properties = { "city311.surveys.sweep-interval=200ms", "city311.surveys.delivery-interval=200ms",
        "city311.follow-ups.sweep-interval=200ms" })
class IdleSweepsIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int HISTORY = 2_000;

    @Autowired
    StoreCommands commands;

    @Autowired
    TestClock clock;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Test
    void shouldReadNothingButByIdWhileIdleWithAHistoryStored() {
        // given 2,000 surveys (answered, expired, and some still open for a week), their windows, and 2,000 pieces
        // of feedback (some with follow-ups still open, due in days), after a full sweep has looked at them
        storeHistory();
        int beforeFullSweep = commands.mark();
        clock.advance(Duration.ofMinutes(5));
        await().atMost(WAIT).until(() -> {
            List<StoreCommands.Command> seen = commands.since(beforeFullSweep);
            return seen(seen, "find", "surveys", json -> json.contains("pending_delivery"))
                    && seen(seen, "find", "surveys", json -> json.contains("\"$in\""))
                    && seen(seen, "find", "survey_windows", json -> true)
                    && seen(seen, "delete", "survey_windows", json -> true)
                    && seen(seen, "find", "feedback", json -> json.contains("followUp.status"));
        });

        // when the service stays idle for ten ticks of each task
        int idle = commands.mark();

        // then no command it sends walks a collection: none, or only reads by _id
        await().during(Duration.ofSeconds(2)).atMost(WAIT).untilAsserted(() -> assertThat(StoreCommands.tally(
                StoreCommands.notIdPinned(commands.since(idle)))).isEmpty());
    }

    @Test
    void shouldHandOverAtTheNextFullSweepAnInvitationThatNoWriteHereAnnounced() {
        // given an invitation another instance made and did not hand over (it stopped)
        String id = Events.newRequestId();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        mongo.insert(new Survey(id, id, null, Survey.PENDING_DELIVERY, Survey.PHONE, "parks", "streetlight-out", 2,
                now.minus(Duration.ofMinutes(2)), now.plus(Duration.ofDays(14)), 0, null, null, null, null, null,
                Survey.Requester.UNKNOWN)).block(WAIT);

        // when the next full sweep comes
        clock.advance(Duration.ofMinutes(5));

        // then it is handed over (the local run's notifier leaves a resident's survey to staff, by phone), once
        await().atMost(WAIT).untilAsserted(() -> {
            Document survey = mongo.findById(id, Document.class, "surveys").block(WAIT);
            assertThat(survey.getInteger("deliveryAttempts")).isEqualTo(1);
            assertThat(survey.containsKey("retryAt")).isFalse();
            assertThat(survey.getString("channel")).isEqualTo(Survey.PHONE);
        });
    }

    @Test
    void shouldHandOverABatchOfInvitationsWithAFewStoreCommandsWhateverItsSize() {
        // given 30 invitations no write here announced (made by an instance that stopped), due now
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<Survey> invitations = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String id = Events.newRequestId();
            // each with a hash nobody holds, as invitations are made (the index of hashes is unique)
            invitations.add(new Survey(id, id, "unheld-" + id, Survey.PENDING_DELIVERY, Survey.PHONE, "parks",
                    "streetlight-out", 2, now.minus(Duration.ofMinutes(2)), now.plus(Duration.ofDays(14)), 0, null,
                    null, null, null, null, Survey.Requester.UNKNOWN));
        }
        mongo.insertAll(invitations).collectList().block(WAIT);
        int mark = commands.mark();

        // when the next full sweep finds them
        clock.advance(Duration.ofMinutes(5));

        // then every one is handed over once (the local run's notifier leaves a resident's survey to staff)
        await().atMost(WAIT).untilAsserted(() -> assertThat(mongo.find(
                org.springframework.data.mongodb.core.query.Query.query(org.springframework.data.mongodb.core.query
                        .Criteria.where("_id").in(invitations.stream().map(Survey::id).toList())
                        .and("deliveryAttempts").is(1).and("retryAt").exists(false)), Survey.class)
                .count().block(WAIT)).isEqualTo(30));
        // with the claims in one write and the outcomes in another, not a claim and an outcome per invitation
        List<StoreCommands.Command> sent = commands.since(mark);
        assertThat(sent.stream().filter(command -> command.collection().equals("surveys")
                && command.name().equals("findAndModify"))).isEmpty();
        assertThat(sent.stream().filter(command -> command.collection().equals("surveys")
                && command.name().equals("update") && command.json().contains("deliveryAttempts"))).hasSize(1);
        assertThat(sent.stream().filter(command -> command.collection().equals("requests")
                && command.name().equals("find"))).hasSizeLessThanOrEqualTo(2);
    }

    private static boolean seen(List<StoreCommands.Command> commands, String name, String collection,
            Predicate<String> json) {
        return commands.stream().anyMatch(command -> command.name().equals(name)
                && command.collection().equals(collection) && json.test(command.json()));
    }

    private void storeHistory() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<Survey> surveys = new ArrayList<>();
        List<Document> windows = new ArrayList<>();
        List<Document> feedback = new ArrayList<>();
        for (int i = 0; i < HISTORY; i++) {
            String id = "history-" + i + "-" + Events.newRequestId();
            boolean stillOpen = i % 4 == 0;
            Instant resolvedAt = stillOpen ? now.minus(Duration.ofDays(7)) : now.minus(Duration.ofDays(30 + i % 300));
            String status = stillOpen ? Survey.SENT : i % 2 == 0 ? Survey.ANSWERED : Survey.EXPIRED;
            surveys.add(new Survey(id, id, "hash-" + id, status, Survey.EMAIL, "parks", "streetlight-out", 2,
                    resolvedAt, resolvedAt.plus(Duration.ofDays(14)), 1, null, resolvedAt, null, null, null,
                    Survey.Requester.UNKNOWN));
            if (stillOpen) {
                windows.add(new Document("_id", id).append("department", "parks")
                        .append("serviceCode", "streetlight-out").append("resolutionSequence", 2L)
                        .append("openedAt", Date.from(resolvedAt))
                        .append("endsAt", Date.from(resolvedAt.plus(Duration.ofDays(14))))
                        .append("status", "open").append("surveyId", id).append("outbox", List.of()));
            }
            boolean followUpOpen = i % 10 == 0;
            feedback.add(new Document("_id", "feedback-" + id).append("requestId", id).append("department", "parks")
                    .append("source", "survey").append("satisfaction", followUpOpen ? 1 : 4)
                    .append("receivedAt", Date.from(resolvedAt))
                    .append("followUp", new Document("id", "follow-up-" + id).append("reason", "low_satisfaction")
                            .append("status", followUpOpen ? "open" : "closed")
                            .append("openedAt", Date.from(resolvedAt))
                            .append("dueAt", Date.from(followUpOpen ? now.plus(Duration.ofDays(3))
                                    : resolvedAt.plus(Duration.ofDays(7)))))
                    .append("outbox", List.of()));
        }
        mongo.insertAll(surveys).then().block(WAIT);
        mongo.insert(windows, "survey_windows").then().block(WAIT);
        mongo.insert(feedback, "feedback").then().block(WAIT);
    }
}
