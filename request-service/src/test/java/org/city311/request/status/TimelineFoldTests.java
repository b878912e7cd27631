package org.city311.request.status;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.junit.jupiter.api.Test;

import org.city311.contracts.EventContract;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.events.InboundRecord;
import org.city311.platform.events.MalformedEventException;
import org.city311.platform.test.KafkaTestClient;
import org.city311.request.RequestStatus;
import org.city311.request.ServiceRequest.StatusChange;
import org.city311.request.status.TimelineFold.Plan;
import org.city311.request.status.TimelineFold.Stored;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The batch consumer's in-memory part, without Spring or a store: contract examples read by {@link TimelineBatch}
 * into steps, and the steps of one request folded onto what the store held of it ({@link TimelineFold}).
 */
class TimelineFoldTests {

    private static final String ID = "311-00000777";
    private static final Instant RECORDED = Instant.parse("2026-11-23T15:00:00Z");

    private final CloudEvents cloudEvents = new CloudEvents(JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build(), "/city311/test", Clock.fixed(Instant.parse("2026-11-23T14:00:00Z"), ZoneOffset.UTC));

    @Test
    void shouldApplyARequestsEventsOfOneBatchInTheOrderRead() {
        // given a request routed and nothing else yet
        Stored stored = stored(0L, null);
        // when its routed, accepted and resolved events come in one batch
        List<RoutingStep> steps = read(event(EventContract.REQUEST_ROUTED, 1), event(EventContract.REQUEST_ACCEPTED, 2),
                event(EventContract.REQUEST_RESOLVED, 3));
        Plan plan = TimelineFold.plan(stored, steps);

        // then each adds its step, in order, and the request ends resolved, with the newest event's sequence
        assertThat(plan.recorded()).extracting(RoutingStep::kind).containsExactly("routed", "accepted", "resolved");
        assertThat(plan.status()).isEqualTo(RequestStatus.RESOLVED);
        assertThat(plan.newest().sequence()).isEqualTo(3);
        assertThat(plan.district()).isEqualTo("manhattan");
        assertThat(plan.updatedAt()).isEqualTo(steps.get(2).at());
        // and each due time is the newest event's that carries it
        assertThat(plan.firstAction().sequence()).isEqualTo(3);
        assertThat(plan.resolution().sequence()).isEqualTo(3);
        assertThat(plan.followed()).extracting(RoutingStep::kind).containsExactly("routed", "accepted", "resolved");
    }

    @Test
    void shouldRecordAnEventDeliveredTwiceWithinABatchOnce() {
        // given the routed event twice in one batch (the producer sent it again)
        String routed = event(EventContract.REQUEST_ROUTED, 1);
        Plan plan = TimelineFold.plan(stored(0L, null), read(routed, routed));

        // then it is one step, and one step for its duplicates to follow
        assertThat(plan.recorded()).hasSize(1);
        assertThat(plan.followed()).hasSize(1);
        assertThat(plan.changing()).hasSize(1);
    }

    @Test
    void shouldChangeNothingForEventsAlreadyApplied() {
        // given a request whose routed and accepted events are stored, and a newer one than both after them
        List<RoutingStep> steps = read(event(EventContract.REQUEST_ROUTED, 1), event(EventContract.REQUEST_ACCEPTED, 2));
        Stored stored = stored(5L, 5L, steps.get(0).eventId(), steps.get(1).eventId());

        // when they come again
        Plan plan = TimelineFold.plan(stored, steps);

        // then nothing is written
        assertThat(plan.writes()).isFalse();
        assertThat(plan.changing()).isEmpty();
        assertThat(plan.followed()).isEmpty();
    }

    @Test
    void shouldNeverLetAnOlderEventMoveTheStatusWhateverTheOrderInTheBatch() {
        // given a request routed (1) and accepted (2) before; then resolved (4) and, late, put on hold (3)
        Stored stored = stored(2L, 2L);
        List<RoutingStep> steps = read(event(EventContract.REQUEST_RESOLVED, 4),
                event(EventContract.REQUEST_PUT_ON_HOLD, 3));
        Plan plan = TimelineFold.plan(stored, steps);

        // then both are on the timeline in the order read, and the request stays resolved
        assertThat(plan.recorded()).extracting(RoutingStep::kind).containsExactly("resolved", "put-on-hold");
        assertThat(plan.status()).isEqualTo(RequestStatus.RESOLVED);
        assertThat(plan.newest().kind()).isEqualTo("resolved");
        // and only the resolution passes on to duplicates
        assertThat(plan.followed()).extracting(RoutingStep::kind).containsExactly("resolved");
    }

    @Test
    void shouldTakeAnOlderEventsDueTimeWhenNoNewerOneSetItsKind() {
        // given a request at sequence 5 whose first-action due time none has set
        Stored stored = new Stored(ID, 5L, null, List.of(), null, 5L, Set.of());

        // when its routed event (1) arrives late
        Plan plan = TimelineFold.plan(stored, read(event(EventContract.REQUEST_ROUTED, 1)));

        // then it is recorded, moves nothing, but gives the first-action due time, not the resolution's
        assertThat(plan.newest()).isNull();
        assertThat(plan.status()).isNull();
        assertThat(plan.firstAction().sequence()).isEqualTo(1);
        assertThat(plan.resolution()).isNull();
        assertThat(plan.followed()).isEmpty();
    }

    @Test
    void shouldMoveALinkedDuplicatesDepartmentButNotItsStatus() {
        // given a request linked as a duplicate of another
        Stored stored = new Stored(ID, 0L, "311-00000001", List.of(), null, null, Set.of());

        // when its own routed event comes
        Plan plan = TimelineFold.plan(stored, read(event(EventContract.REQUEST_ROUTED, 1)));

        // then its department follows its work item, its status its parent
        assertThat(plan.newest().department()).isEqualTo("transportation");
        assertThat(plan.status()).isNull();
        assertThat(plan.followed()).isEmpty();
        assertThat(plan.recorded()).hasSize(1);
    }

    @Test
    void shouldPassTheStoredNewestOnAgainWhenItComesAgain() {
        // given a parent whose accepted event (its newest) is stored; its duplicates may have missed it
        RoutingStep accepted = read(event(EventContract.REQUEST_ACCEPTED, 2)).get(0);
        Stored stored = new Stored(ID, 2L, null, List.of("311-00000002"), 2L, 2L, Set.of(accepted.eventId()));

        // when it comes again
        Plan plan = TimelineFold.plan(stored, List.of(accepted, accepted));

        // then the parent is left alone and its duplicates are offered it once more (their updates are guarded)
        assertThat(plan.writes()).isFalse();
        assertThat(plan.followed()).containsExactly(accepted);
    }

    @Test
    void shouldKeepAnInternalReasonForStaffAndPassOnlyPublicStepsToDuplicates() {
        // given a hold whose reason is internal, and an update note that is internal altogether
        List<RoutingStep> steps = read(
                event(EventContract.REQUEST_PUT_ON_HOLD, 3).replace("\"visibility\": \"public\"",
                        "\"visibility\": \"internal\""),
                event(EventContract.REQUEST_UPDATED, 4).replace("\"visibility\": \"public\"",
                        "\"visibility\": \"internal\""));
        RoutingStep hold = steps.get(0);

        // then the hold is a public step without its reason, plus a staff-only entry with it
        List<StatusChange> entries = hold.entries(RECORDED);
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).visibility()).isNull();
        assertThat(entries.get(0).note()).isEqualTo("On hold");
        assertThat(entries.get(1).visibility()).isEqualTo("internal");
        assertThat(entries.get(1).note()).contains("gas company");
        assertThat(entries).allSatisfy(entry -> assertThat(entry.recordedAt()).isEqualTo(RECORDED));
        // and duplicates follow the public hold only
        Plan plan = TimelineFold.plan(stored(2L, 2L), steps);
        assertThat(plan.followed()).extracting(RoutingStep::kind).containsExactly("put-on-hold");
        assertThat(hold.followed(ID, RECORDED).note()).isEqualTo("Follows " + ID + ": On hold");
    }

    @Test
    void shouldAssumeNothingOfAnUnseenRequestButThatItIsOlderThanTheBatch() {
        List<RoutingStep> steps = read(event(EventContract.REQUEST_RESOLVED, 7), event(EventContract.REQUEST_ROUTED, 5));
        Plan plan = TimelineFold.plan(Stored.unseen(ID, steps), steps);

        assertThat(plan.unseenSince()).isEqualTo(5);
        assertThat(plan.recorded()).hasSize(2);
        assertThat(plan.status()).isEqualTo(RequestStatus.RESOLVED);
    }

    @Test
    void shouldRefuseAnUnreadableEventAsPoisonWhileReading() {
        TimelineBatch batch = new TimelineBatch(cloudEvents, new Capturing());
        assertThatThrownBy(() -> batch.read(record("{not json")))
                .isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> batch.read(record(event(EventContract.REQUEST_ROUTED, 1)
                .replace("city311.request.routed.v1", "city311.request.routed.v9"))))
                .isInstanceOf(MalformedEventException.class);
    }

    private static Stored stored(Long sequence, Long dueSequence, String... eventIds) {
        return new Stored(ID, sequence, null, List.of(), dueSequence, dueSequence, Set.of(eventIds));
    }

    private static String event(String type, long sequence) {
        return KafkaTestClient.example(EventContract.example(type), ID)
                .replaceFirst("\"sequence\"\\s*:\\s*\\d+", "\"sequence\": " + sequence);
    }

    /** The steps a batch of these records is read into, as the consumer reads them. */
    private List<RoutingStep> read(String... events) {
        Capturing timeline = new Capturing();
        TimelineBatch batch = new TimelineBatch(cloudEvents, timeline);
        for (String event : events) {
            batch.read(record(event));
        }
        batch.write();
        return timeline.applied;
    }

    private static InboundRecord record(String json) {
        return new InboundRecord("city311.routing", 0, 0, ID, json.getBytes(StandardCharsets.UTF_8), 0);
    }

    /** Keeps what it is given instead of writing it. */
    private static final class Capturing extends StatusTimeline {

        final List<RoutingStep> applied = new ArrayList<>();

        Capturing() {
            super(null, null, Clock.fixed(RECORDED, ZoneOffset.UTC));
        }

        @Override
        void apply(List<RoutingStep> steps) {
            applied.addAll(steps);
        }
    }
}
