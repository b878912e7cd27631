package org.city311.feedback.survey;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import reactor.core.publisher.Mono;

import org.city311.feedback.intake.Feedback;
import org.city311.feedback.intake.FeedbackRecorder;
import org.city311.feedback.requests.KnownRequest;
import org.city311.platform.security.Caller;
import org.city311.platform.security.Role;
import org.city311.platform.web.Problems;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Takes the one answer a survey link allows, from the page or the JSON API. The response is stored as feedback whose
 * id is derived from the survey, so the store itself refuses a second one, however close together they come; the
 * survey and its window are then marked answered. A response stored whose marking was cut short is found again by a
 * second attempt (a 409 that completes the marking) and by the window sweep.
 */
@Component
class SurveyResponses {

    private final ReactiveMongoTemplate mongo;
    private final FeedbackRecorder recorder;
    private final Clock clock;

    SurveyResponses(ReactiveMongoTemplate mongo, FeedbackRecorder recorder, Clock clock) {
        this.mongo = mongo;
        this.recorder = recorder;
        this.clock = clock;
    }

    /** A customer's answers, already checked (ranges, comment length). */
    record Answers(int satisfaction, boolean resolved, Integer ease, String comment) {
    }

    /** The survey a link opens, if it can still be answered: else 404 (unknown or forged), 409 or 410. */
    Mono<Survey> answerable(String token) {
        return find(token).flatMap(survey -> switch (survey.answerability(clock.instant())) {
            case ANSWERABLE -> Mono.just(survey);
            case ALREADY_ANSWERED -> Mono.error(Problems.conflict("This survey has already been answered. Thank you!"));
            case CLOSED -> Mono.error(Problems.of(HttpStatus.GONE, "Survey closed",
                    "This survey closed on " + survey.expiresAt() + "; answers are no longer taken."));
        });
    }

    /** The customer's own answers, through their link. */
    Mono<Feedback> answer(String token, Answers answers) {
        return answer(token, answers, null);
    }

    /**
     * Answers through the link, sent with the caller's own token, if any. It is the survey's response either way;
     * the caller decides how it is recorded:
     * <ul>
     * <li>who asked for an internal request (they filed it, or their department asked for it and they are its
     * agent or supervisor) answers as the customer they are: recorded as theirs ({@code actedby},
     * {@code answeredBy}), the survey's channel unchanged (an internal request's stays {@code internal});</li>
     * <li>other staff entered the customer's answers on the phone: recorded as theirs, the channel {@code phone};</li>
     * <li>anyone else (no token, or another role) is the link's holder: the customer, {@code resident}.</li>
     * </ul>
     */
    Mono<Feedback> answer(String token, Answers answers, Caller caller) {
        return answerable(token).flatMap(survey -> mongo.findById(survey.requestId(), KnownRequest.class)
                .defaultIfEmpty(new KnownRequest(survey.requestId(), survey.serviceCode(), survey.department(), null,
                        0, null, survey.resolutionSequence(), null, null, null, null))
                .flatMap(request -> {
                    Respondent respondent = respondent(caller, survey, request);
                    return recorder.record(new FeedbackRecorder.Entry(SurveyTokens.feedbackIdOf(survey.id()),
                                    request, "survey", answers.satisfaction(), answers.resolved(), answers.ease(),
                                    null, answers.comment(), survey.resolutionSequence(), survey.id(), null,
                                    respondent.id() != null ? respondent.id() : "resident"))
                            .onErrorResume(DuplicateKeyException.class, alreadyAnswered -> markAnswered(survey, null)
                                    .then(Mono.error(Problems.conflict(
                                            "This survey has already been answered. Thank you!"))))
                            .flatMap(feedback -> markAnswered(survey, respondent).thenReturn(feedback));
                }));
    }

    /**
     * Who answered, as recorded.
     *
     * @param id the staff member's id; null for the link's holder
     * @param byPhone whether they entered a customer's answers on the phone (else they are the customer)
     */
    record Respondent(String id, boolean byPhone) {
    }

    static Respondent respondent(Caller caller, Survey survey, KnownRequest request) {
        if (caller == null) {
            return new Respondent(null, false);
        }
        if (request.askedBy(caller) || survey.askedBy(caller)) {
            return new Respondent(caller.id(), false);
        }
        if (caller.has(Role.STAFF)) {
            return new Respondent(caller.id(), true);
        }
        return new Respondent(null, false);
    }

    private Mono<Survey> find(String token) {
        if (!SurveyTokens.wellFormed(token)) {
            return Mono.error(unknown());
        }
        return mongo.findOne(Query.query(Criteria.where("tokenHash").is(SurveyTokens.hash(token))), Survey.class)
                .switchIfEmpty(Mono.error(SurveyResponses::unknown));
    }

    private static RuntimeException unknown() {
        return Problems.notFound("There is no survey at this address. Please check the link you were sent.");
    }

    /**
     * The survey, and the window of the resolution it asked about, are answered: no survey-expired for them.
     * Answers a staff member entered name them; entered on the phone, they make the phone its channel.
     */
    Mono<Void> markAnswered(Survey survey, Respondent respondent) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Update answered = new Update().set("status", Survey.ANSWERED).set("answeredAt", now)
                .set("feedbackId", SurveyTokens.feedbackIdOf(survey.id())).unset("retryAt");
        if (respondent != null && respondent.id() != null) {
            answered.set("answeredBy", respondent.id());
            if (respondent.byPhone()) {
                answered.set("channel", Survey.PHONE);
            }
        }
        return mongo.updateFirst(Query.query(Criteria.where("_id").is(survey.id()).and("status")
                                .in(Survey.PENDING_DELIVERY, Survey.SENT, Survey.EXPIRED)), answered, Survey.class)
                .then(mongo.updateFirst(Query.query(Criteria.where("_id").is(survey.requestId()).and("status")
                                .is(SurveyWindow.OPEN).and("resolutionSequence").is(survey.resolutionSequence())),
                        new Update().set("status", SurveyWindow.ANSWERED).set("endedAt", now), SurveyWindow.class))
                .then();
    }
}
