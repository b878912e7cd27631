package org.city311.feedback.survey;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import org.city311.feedback.requests.KnownRequest;
import org.city311.feedback.requests.RequestChange;
import org.city311.feedback.requests.RequestMovedOn;
import org.city311.feedback.requests.RequestResolved;

import static org.assertj.core.api.Assertions.assertThat;

/** What a batch of request changes does to invitations and windows, planned in memory: no store, no Spring. */
class InvitationPlanTests {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final Duration WINDOW = Duration.ofDays(14);
    private static final InvitationPlan PLAN = new InvitationPlan(new Sampling(Map.of("pothole", 0.0)), false,
            WINDOW);

    @Test
    void shouldInviteOnFirstResolutionsWithoutReadingAndOpenTheirWindowsUntilTheInvitationExpires() {
        // given two requests resolved for the first time, one of them internal
        KnownRequest internal = known("311-2", 1, "routed", null, "internal", "parks");
        Map<String, List<RequestChange>> chains = InvitationPlan.byRequest(List.of(
                resolved("311-1", 2, "streetlight-out", known("311-1", 1, "routed", null, "resident", null)),
                resolved("311-2", 2, "streetlight-out", internal)));

        // when the batch is planned
        assertThat(PLAN.toRead(chains)).isEmpty();
        InvitationPlan.Plan plan = PLAN.plan(chains, Map.of(), NOW);

        // then each gets an invitation, by phone for the resident, offered to the department for the internal one
        assertThat(plan.inserts()).extracting(Survey::id).containsExactly("311-1", "311-2");
        assertThat(plan.inserts()).extracting(Survey::channel).containsExactly(Survey.PHONE, Survey.INTERNAL);
        assertThat(plan.inserts().get(1).requester()).isEqualTo(new Survey.Requester("internal", "parks", null));
        assertThat(plan.inserts()).allSatisfy(survey -> {
            assertThat(survey.status()).isEqualTo(Survey.PENDING_DELIVERY);
            assertThat(survey.resolutionSequence()).isEqualTo(2);
            assertThat(survey.expiresAt()).isEqualTo(NOW.plus(WINDOW));
        });
        // and a window each, that ends with the invitation
        assertThat(plan.windows().get("311-1")).isEqualTo(new InvitationPlan.OpenWindow("311-1", "transportation",
                "streetlight-out", 2, NOW, NOW.plus(WINDOW), "311-1"));
        assertThat(plan.follows()).isEmpty();
        assertThat(plan.slow()).isEmpty();
    }

    @Test
    void shouldLeaveTheWindowToTheLastChangeAndAskAboutTheNewestResolutionWhenAllComeInOneBatch() {
        // given a request resolved, reopened and resolved again, and another resolved then closed, in one batch
        KnownRequest routed = known("311-1", 1, "routed", null, "resident", null);
        KnownRequest resolvedOnce = known("311-1", 2, "resolved", 2L, "resident", null);
        Map<String, List<RequestChange>> chains = InvitationPlan.byRequest(List.of(
                resolved("311-1", 2, "streetlight-out", routed), new RequestMovedOn("311-1", "reopened", 3),
                resolved("311-2", 2, "streetlight-out", known("311-2", 1, "routed", null, "resident", null)),
                resolved("311-1", 4, "streetlight-out", resolvedOnce), new RequestMovedOn("311-2", "closed", 3)));

        // when the batch is planned
        assertThat(PLAN.toRead(chains)).isEmpty();
        InvitationPlan.Plan plan = PLAN.plan(chains, Map.of(), NOW);

        // then one invitation each, the first asking about its newest resolution
        assertThat(plan.inserts()).extracting(Survey::id, Survey::resolutionSequence)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("311-1", 4L),
                        org.assertj.core.groups.Tuple.tuple("311-2", 2L));
        // and the first's window is its newest resolution's, the second's ended
        assertThat(plan.windows().get("311-1")).isInstanceOfSatisfying(InvitationPlan.OpenWindow.class,
                open -> assertThat(open.resolutionSequence()).isEqualTo(4));
        assertThat(plan.windows().get("311-2")).isEqualTo(new InvitationPlan.EndWindow("311-2", 3));
    }

    @Test
    void shouldHaveAStoredUnansweredInvitationFollowTheNewResolution() {
        // given a request resolved again after a reopen, its invitation stored and unanswered
        Map<String, List<RequestChange>> chains = InvitationPlan.byRequest(List.of(resolved("311-1", 4,
                "streetlight-out", known("311-1", 3, "reopened", 2L, "resident", null))));
        Survey stored = survey("311-1", 2, Survey.SENT);

        // when the batch is planned, its invitation read first
        assertThat(PLAN.toRead(chains)).containsExactly("311-1");
        InvitationPlan.Plan plan = PLAN.plan(chains, Map.of("311-1", Optional.of(stored)), NOW);

        // then the invitation asks about the new resolution, with a new expiry, and its window starts again
        assertThat(plan.inserts()).isEmpty();
        assertThat(plan.follows()).containsExactly(new InvitationPlan.Follow("311-1", "311-1", 4, "transportation",
                NOW.plus(WINDOW)));
        assertThat(plan.windows().get("311-1")).isEqualTo(new InvitationPlan.OpenWindow("311-1", "transportation",
                "streetlight-out", 4, NOW, NOW.plus(WINDOW), "311-1"));
    }

    @Test
    void shouldUseTheInvitationAlreadyMadeForTheSameResolution() {
        // given a resolution delivered again, whose invitation the store has (its insert was refused)
        Map<String, List<RequestChange>> chains = InvitationPlan.byRequest(List.of(resolved("311-1", 2,
                "streetlight-out", known("311-1", 2, "resolved", 2L, "resident", null))));
        Survey made = survey("311-1", 2, Survey.PENDING_DELIVERY);

        // when it is planned again from what is stored
        InvitationPlan.Plan plan = PLAN.plan(chains, Map.of("311-1", Optional.of(made)), NOW);

        // then nothing is written to the invitation, and the window ends with it
        assertThat(plan.inserts()).isEmpty();
        assertThat(plan.follows()).isEmpty();
        assertThat(plan.windows().get("311-1")).isEqualTo(new InvitationPlan.OpenWindow("311-1", "transportation",
                "streetlight-out", 2, NOW, made.expiresAt(), "311-1"));
    }

    @Test
    void shouldOpenAWindowWithoutInvitationWhenNotSampledOrSurveyedBefore() {
        // given a pothole request (not in the sample) resolved, and one whose invitation was answered, resolved again
        Map<String, List<RequestChange>> chains = InvitationPlan.byRequest(List.of(
                resolved("311-1", 2, "pothole", known("311-1", 1, "routed", null, "resident", null)),
                resolved("311-2", 4, "streetlight-out", known("311-2", 3, "reopened", 2L, "resident", null))));

        // when planned
        InvitationPlan.Plan plan = PLAN.plan(chains, Map.of("311-2", Optional.of(survey("311-2", 2,
                Survey.ANSWERED))), NOW);

        // then no invitation is made or changed, and each resolution has its window all the same
        assertThat(plan.inserts()).isEmpty();
        assertThat(plan.follows()).isEmpty();
        assertThat(plan.windows().values()).allSatisfy(window -> assertThat(window)
                .isInstanceOfSatisfying(InvitationPlan.OpenWindow.class, open -> {
                    assertThat(open.surveyId()).isNull();
                    assertThat(open.endsAt()).isEqualTo(NOW.plus(WINDOW));
                }));
        assertThat(plan.windows()).hasSize(2);
    }

    @Test
    void shouldLeaveToTheStoreARequestWhoseDepartmentMaySurveyAgain() {
        // given departments that survey again after a reopen, and an answered invitation resolved again
        InvitationPlan resending = new InvitationPlan(new Sampling(Map.of()), true, WINDOW);
        Map<String, List<RequestChange>> chains = InvitationPlan.byRequest(List.of(
                resolved("311-1", 4, "streetlight-out", known("311-1", 3, "reopened", 2L, "resident", null)),
                new RequestMovedOn("311-1", "closed", 5)));

        // when planned
        InvitationPlan.Plan plan = resending.plan(chains, Map.of("311-1", Optional.of(survey("311-1", 2,
                Survey.ANSWERED))), NOW);

        // then that request is left to be done one change at a time, and nothing of it is planned
        assertThat(plan.slow()).containsExactly("311-1");
        assertThat(plan.inserts()).isEmpty();
        assertThat(plan.windows()).isEmpty();
    }

    private static RequestResolved resolved(String id, long sequence, String serviceCode, KnownRequest before) {
        return new RequestResolved(id, serviceCode, "transportation", NOW.minusSeconds(60), sequence, before);
    }

    private static KnownRequest known(String id, long sequence, String status, Long resolutionSequence,
            String segment, String requestingDepartment) {
        return new KnownRequest(id, "streetlight-out", "transportation", status, sequence, null, resolutionSequence,
                "phone", segment, requestingDepartment, null);
    }

    private static Survey survey(String id, long resolutionSequence, String status) {
        return new Survey(id, id, "hash-" + id, status, Survey.PHONE, "transportation", "streetlight-out",
                resolutionSequence, NOW.minus(Duration.ofDays(3)), NOW.plus(Duration.ofDays(11)), 1, null, null, null,
                null, null, Survey.Requester.UNKNOWN);
    }
}
