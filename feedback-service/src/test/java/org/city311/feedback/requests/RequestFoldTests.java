package org.city311.feedback.requests;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-memory fold of a batch of routing events: no store, no Spring. */
class RequestFoldTests {

    private static final Instant RESOLVED_AT = Instant.parse("2026-11-25T09:41:07.118Z");

    @Test
    void shouldApplyEachRequestsEventsInOrderAndWriteEachRequestOnce() {
        // given nothing known of two requests, and a batch with their events interleaved
        List<RequestFold.Kept> batch = List.of(routed("311-1", 1), routed("311-2", 1), resolved("311-1", 2),
                moved("311-1", 3, "reopened"));

        // when it is folded
        RequestFold.Folded folded = RequestFold.fold(Map.of(), batch);

        // then the first is resolved, over what its routing left, and then moved on from that resolution
        assertThat(folded.changes()).hasSize(2);
        RequestResolved resolution = (RequestResolved) folded.changes().get(0);
        assertThat(resolution.requestId()).isEqualTo("311-1");
        assertThat(resolution.sequence()).isEqualTo(2);
        assertThat(resolution.before().sequence()).isEqualTo(1);
        assertThat(resolution.before().department()).isEqualTo("transportation");
        assertThat(resolution.neverResolvedBefore()).isTrue();
        assertThat(folded.changes().get(1)).isEqualTo(new RequestMovedOn("311-1", "reopened", 3));
        // and each request is written once, with what its last event left, guarded by that event's sequence
        assertThat(folded.writes()).extracting(RequestFold.Write::requestId).containsExactly("311-1", "311-2");
        RequestFold.Write first = folded.writes().iterator().next();
        assertThat(first.sequence()).isEqualTo(3);
        assertThat(first.fields()).containsEntry("status", "reopened").containsEntry("resolutionSequence", 2L)
                .containsEntry("resolvedAt", RESOLVED_AT).containsEntry("sequence", 3L);
        assertThat(first.guard().getQueryObject().toJson()).contains("\"$lte\": 3");
        assertThat(folded.ignored()).isZero();
    }

    @Test
    void shouldIgnoreAnOlderEventAndTheSameEventTwiceWithinTheBatch() {
        // given a request known as resolved at sequence 5
        Map<String, KnownRequest> stored = Map.of("311-1", known("311-1", 5, "resolved", 5L));

        // when an older transfer comes, then a close delivered twice
        RequestFold.Folded folded = RequestFold.fold(stored, List.of(moved("311-1", 4, "routed"),
                moved("311-1", 6, "closed"), moved("311-1", 6, "closed")));

        // then only the close counts, once: the resolution's window ends
        assertThat(folded.changes()).containsExactly(new RequestMovedOn("311-1", "closed", 6));
        assertThat(folded.ignored()).isEqualTo(2);
        assertThat(folded.writes()).singleElement().satisfies(write -> {
            assertThat(write.sequence()).isEqualTo(6);
            assertThat(write.fields()).containsEntry("status", "closed").doesNotContainKey("resolutionSequence");
        });
    }

    @Test
    void shouldApplyAgainTheEventWhoseSequenceIsStoredSoThatItsChangesAreMadeIfTheyWereCutShort() {
        // given a request whose resolution is stored, its changes perhaps not all written
        Map<String, KnownRequest> stored = Map.of("311-1", known("311-1", 2, "resolved", 2L));

        // when the resolution comes again, and with it the close that followed
        RequestFold.Folded folded = RequestFold.fold(stored, List.of(resolved("311-1", 2), moved("311-1", 3,
                "closed")));

        // then both are applied: the resolution as a first one (its invitation is the one made, if it was)
        assertThat(folded.changes()).hasSize(2);
        assertThat(((RequestResolved) folded.changes().get(0)).neverResolvedBefore()).isTrue();
        assertThat(folded.changes().get(1)).isEqualTo(new RequestMovedOn("311-1", "closed", 3));
        assertThat(folded.ignored()).isZero();
    }

    @Test
    void shouldTellAResolutionWhoAskedAsKnownBeforeItAndAResolutionAgainThatOneCameBefore() {
        // given an internal request known from request-created and its routing, resolved once already
        KnownRequest asked = new KnownRequest("311-1", "pothole", "transportation", "resolved", 4, RESOLVED_AT, 4L,
                "phone", "internal", "parks", "staff.amy");

        // when it is reopened and resolved again in one batch
        RequestFold.Folded folded = RequestFold.fold(Map.of("311-1", asked), List.of(moved("311-1", 5,
                "reopened"), resolved("311-1", 6)));

        // then the new resolution knows who asked, and that it is not the first
        assertThat(folded.changes().get(0)).isEqualTo(new RequestMovedOn("311-1", "reopened", 5));
        RequestResolved again = (RequestResolved) folded.changes().get(1);
        assertThat(again.before().segment()).isEqualTo("internal");
        assertThat(again.before().requestingDepartment()).isEqualTo("parks");
        assertThat(again.before().filedBy()).isEqualTo("staff.amy");
        assertThat(again.before().resolutionSequence()).isEqualTo(4L);
        assertThat(again.neverResolvedBefore()).isFalse();
    }

    @Test
    void shouldEndNoWindowWhenARequestThatNeverStoodResolvedMovesOn() {
        // given nothing known of a request
        // when it is routed, then transferred
        RequestFold.Folded folded = RequestFold.fold(Map.of(), List.of(routed("311-1", 1), moved("311-1", 2,
                "routed")));

        // then nothing changes for the surveys, and the request is written once
        assertThat(folded.changes()).isEmpty();
        assertThat(folded.writes()).singleElement().satisfies(write -> assertThat(write.sequence()).isEqualTo(2));
    }

    private static RequestFold.Kept routed(String id, long sequence) {
        return RequestFold.Kept.moved(id, sequence, "pothole", "transportation", "routed");
    }

    private static RequestFold.Kept moved(String id, long sequence, String status) {
        return RequestFold.Kept.moved(id, sequence, "pothole", "transportation", status);
    }

    private static RequestFold.Kept resolved(String id, long sequence) {
        return RequestFold.Kept.resolution(id, sequence, "pothole", "transportation", RESOLVED_AT);
    }

    private static KnownRequest known(String id, long sequence, String status, Long resolutionSequence) {
        return new KnownRequest(id, "pothole", "transportation", status, sequence, RESOLVED_AT, resolutionSequence,
                "phone", "resident", null, null);
    }
}
