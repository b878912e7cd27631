package org.city311.feedback.survey;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import reactor.core.publisher.Mono;

import org.city311.feedback.intake.Feedback;
import org.city311.feedback.intake.FeedbackRecorder;
import org.city311.feedback.requests.KnownRequest;
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
        return find(token).flatMap(survey -> {
            if (Survey.ANSWERED.equals(survey.status())) {
                return Mono.error(Problems.conflict("This survey has already been answered. Thank you!"));
            }
            if (Survey.EXPIRED.equals(survey.statusAt(clock.instant()))) {
                return Mono.error(Problems.of(HttpStatus.GONE, "Survey closed",
                        "This survey closed on " + survey.expiresAt() + "; answers are no longer taken."));
            }
            return Mono.just(survey);
        });
    }

    /** The customer's own answers, through their link. */
    Mono<Feedback> answer(String token, Answers answers) {
        return answer(token, answers, null);
    }

    /**
     * Answers through the link; {@code staffMember} names who entered them with the customer on the phone (then the
     * survey's channel is the phone), or is null for the customer's own. Either way it is the survey's response.
     */
    Mono<Feedback> answer(String token, Answers answers, String staffMember) {
        return answerable(token).flatMap(survey -> mongo.findById(survey.requestId(), KnownRequest.class)
                .defaultIfEmpty(new KnownRequest(survey.requestId(), survey.serviceCode(), survey.department(), null,
                        0, null, survey.resolutionSequence(), null, null, null))
                .flatMap(request -> recorder.record(new FeedbackRecorder.Entry(SurveyTokens.feedbackIdOf(survey.id()),
                        request, "survey", answers.satisfaction(), answers.resolved(), answers.ease(), null,
                        answers.comment(), survey.resolutionSequence(), survey.id(), null,
                        staffMember != null ? staffMember : "resident")))
                .onErrorResume(DuplicateKeyException.class, alreadyAnswered -> markAnswered(survey, null)
                        .then(Mono.error(Problems.conflict("This survey has already been answered. Thank you!"))))
                .flatMap(feedback -> markAnswered(survey, staffMember).thenReturn(feedback)));
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
     * Answers a staff member entered make the phone its channel, and name them.
     */
    Mono<Void> markAnswered(Survey survey, String staffMember) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Update answered = new Update().set("status", Survey.ANSWERED).set("answeredAt", now)
                .set("feedbackId", SurveyTokens.feedbackIdOf(survey.id())).unset("retryAt");
        if (staffMember != null) {
            answered.set("channel", Survey.PHONE).set("answeredBy", staffMember);
        }
        return mongo.updateFirst(Query.query(Criteria.where("_id").is(survey.id()).and("status")
                                .in(Survey.PENDING_DELIVERY, Survey.SENT, Survey.EXPIRED)), answered, Survey.class)
                .then(mongo.updateFirst(Query.query(Criteria.where("_id").is(survey.requestId()).and("status")
                                .is(SurveyWindow.OPEN).and("resolutionSequence").is(survey.resolutionSequence())),
                        new Update().set("status", SurveyWindow.ANSWERED).set("endedAt", now), SurveyWindow.class))
                .then();
    }
}
