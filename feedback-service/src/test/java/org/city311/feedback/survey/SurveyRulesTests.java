package org.city311.feedback.survey;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.city311.feedback.requests.KnownRequest;
import org.city311.feedback.survey.Survey.Answerability;
import org.city311.platform.security.Caller;
import org.city311.platform.security.Role;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may still answer a survey, and as whom an answer is recorded: decided from the invitation, the request and the
 * caller alone, without a store or HTTP.
 */
class SurveyRulesTests {

    private static final Instant EXPIRES = Instant.parse("2026-12-07T05:00:00Z");
    private static final Survey.Requester HOUSING_ASKED = new Survey.Requester("internal", "housing", "staff-7");

    @Test
    void shouldTakeAnswersUntilTheWindowEndsAndNeverTwice() {
        Survey sent = survey(Survey.SENT, Survey.Requester.UNKNOWN);
        assertThat(sent.answerability(EXPIRES.minusMillis(1))).isEqualTo(Answerability.ANSWERABLE);
        // the window ends at its expiry, whether or not the sweep has marked it yet
        assertThat(sent.answerability(EXPIRES)).isEqualTo(Answerability.CLOSED);
        assertThat(survey(Survey.EXPIRED, Survey.Requester.UNKNOWN).answerability(EXPIRES.minus(Duration.ofDays(1))))
                .isEqualTo(Answerability.CLOSED);
        // a survey staff run by phone is answerable like a sent one
        assertThat(survey(Survey.PENDING_DELIVERY, Survey.Requester.UNKNOWN).answerability(EXPIRES.minusSeconds(60)))
                .isEqualTo(Answerability.ANSWERABLE);
        // answered: a second answer is refused as answered, before and after the window's end
        Survey answered = survey(Survey.ANSWERED, Survey.Requester.UNKNOWN);
        assertThat(answered.answerability(EXPIRES.minusSeconds(60))).isEqualTo(Answerability.ALREADY_ANSWERED);
        assertThat(answered.answerability(EXPIRES.plus(Duration.ofDays(30)))).isEqualTo(Answerability.ALREADY_ANSWERED);
    }

    @Test
    void shouldRecordAnAnswerAsTheCustomersOrAsStaffOnThePhone() {
        Survey internal = survey(Survey.SENT, HOUSING_ASKED);
        KnownRequest request = new KnownRequest("311-7", "pothole", "transportation", "resolved", 4, EXPIRES, 4L,
                "internal", "internal", "housing", "staff-7");

        // the link's holder, without a token: the customer
        assertThat(SurveyResponses.respondent(null, internal, request))
                .isEqualTo(new SurveyResponses.Respondent(null, false));
        // a housing agent answers for the department that asked: as the customer, named
        Caller housingAgent = caller("agent-3", "housing", Role.AGENT);
        assertThat(SurveyResponses.respondent(housingAgent, internal, request))
                .isEqualTo(new SurveyResponses.Respondent("agent-3", false));
        // call-centre staff enter a customer's answers on the phone
        Caller callTaker = caller("staff-9", null, Role.STAFF);
        assertThat(SurveyResponses.respondent(callTaker, internal, request))
                .isEqualTo(new SurveyResponses.Respondent("staff-9", true));
        // an agent of the department that did the work is neither: their answer counts as the link holder's
        Caller transportationAgent = caller("agent-5", "transportation", Role.AGENT);
        assertThat(SurveyResponses.respondent(transportationAgent, internal, request))
                .isEqualTo(new SurveyResponses.Respondent(null, false));
    }

    private static Survey survey(String status, Survey.Requester requester) {
        return new Survey("311-7", "311-7", "hash", status, Survey.EMAIL, "transportation", "pothole", 4,
                EXPIRES.minus(Duration.ofDays(14)), EXPIRES, 1, null, null, null, null, null, requester);
    }

    private static Caller caller(String id, String department, Role role) {
        return new Caller(id, id, Set.of(role), department, null);
    }
}
