package org.city311.feedback.survey;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

import org.city311.feedback.requests.KnownRequest;
import org.city311.platform.security.Caller;
import org.city311.platform.security.Callers;
import org.city311.platform.security.Role;
import org.city311.platform.web.Problems;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Surveys as JSON: staff look up a request's invitations, and fetch a survey's link to run it by phone (a fresh one
 * each time, which revokes the one before: a link is a credential); clients post the answers to a link, and staff
 * who do so with their own token are recorded as having taken them by phone. Errors are problem+json: 400 invalid
 * answers, 404 unknown or forged token, 409 already answered, 410 closed, 429 too many.
 */
@RestController
class SurveyApiController {

    private final ReactiveMongoTemplate mongo;
    private final SurveyResponses responses;
    private final SurveyLinks links;
    private final Callers callers;
    private final Clock clock;

    SurveyApiController(ReactiveMongoTemplate mongo, SurveyResponses responses, SurveyLinks links, Callers callers,
            Clock clock) {
        this.mongo = mongo;
        this.responses = responses;
        this.links = links;
        this.callers = callers;
        this.clock = clock;
    }

    /** A request's survey invitations, oldest first: empty when none was sent (not resolved yet, or not sampled). */
    @GetMapping("/api/surveys")
    Mono<List<SurveyView>> list(@RequestParam(required = false) String requestId, Caller caller) {
        if (requestId == null || requestId.isBlank()) {
            return Mono.error(Problems.badRequest(List.of(new Problems.FieldProblem("requestId",
                    "the request whose surveys to list is required"))));
        }
        Instant now = clock.instant();
        return mongo.find(Query.query(Criteria.where("requestId").is(requestId)), Survey.class)
                .filter(survey -> caller.hasAny(Role.STAFF, Role.AUDITOR) || caller.supervises(survey.department()))
                .map(survey -> SurveyView.of(survey, now))
                .collectSortedList(Comparator.comparing(SurveyView::createdAt));
    }

    /**
     * The survey's link, for staff to run it with the customer on the phone: a fresh secret each time, which
     * revokes the link sent or read out before (it answers as the customer, so it is handed out only here).
     */
    @PostMapping("/api/surveys/{id}/link")
    Mono<LinkView> link(@PathVariable String id, Caller caller) {
        return mayRunSurvey(caller, id)
                .flatMap(allowed -> allowed ? links.reissue(id) : Mono.error(Problems.forbidden(
                        "Staff run residents' surveys; an internal request's survey is its requesting department's.")))
                .map(issued -> new LinkView(issued.survey().id(), issued.survey().requestId(), issued.url(),
                        issued.survey().expiresAt()));
    }

    /** Staff any survey; an agent or supervisor the survey of an internal request their department asked for. */
    private Mono<Boolean> mayRunSurvey(Caller caller, String surveyId) {
        if (caller.has(Role.STAFF)) {
            return Mono.just(true);
        }
        return mongo.findById(surveyId, Survey.class)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("No survey " + surveyId + ".")))
                .flatMap(survey -> mongo.findById(survey.requestId(), KnownRequest.class))
                .map(request -> "internal".equals(request.segment()) && caller.worksFor(request.requestingDepartment()))
                .defaultIfEmpty(false);
    }

    @PostMapping("/api/surveys/{token}/responses")
    Mono<ResponseEntity<ResponseView>> respond(@PathVariable String token, @Valid @RequestBody Answers body) {
        SurveyResponses.Answers answers = new SurveyResponses.Answers(body.satisfaction(), body.resolved(),
                body.ease(), body.comment());
        // Public: the link is the credential. Staff who send their own token entered the answers by phone.
        return callers.current().filter(caller -> caller.has(Role.STAFF)).map(Caller::id)
                .map(Optional::of).defaultIfEmpty(Optional.empty())
                .flatMap(staffMember -> responses.answer(token, answers, staffMember.orElse(null)))
                .map(feedback -> ResponseEntity.status(HttpStatus.CREATED).body(new ResponseView(feedback.id(),
                        feedback.surveyId(), feedback.requestId(), feedback.satisfaction(), feedback.resolved(),
                        feedback.ease(), feedback.followUp() == null ? null : feedback.followUp().id(),
                        feedback.receivedAt())));
    }

    record Answers(
            @NotNull @Min(1) @Max(5) Integer satisfaction,
            @NotNull Boolean resolved,
            @Min(1) @Max(5) Integer ease,
            @Size(max = SurveyPageController.MAX_COMMENT) String comment) {
    }

    /** @param followUpId the follow-up the answers opened, if they were negative */
    record ResponseView(String feedbackId, String surveyId, String requestId, int satisfaction, Boolean resolved,
            Integer ease, String followUpId, Instant receivedAt) {
    }

    /**
     * One invitation as staff see it: never its link (see {@code POST /api/surveys/{id}/link}).
     *
     * @param channel how it reaches the customer: {@code email}, {@code internal} (the requesting department's staff)
     *        or {@code phone} (staff run it)
     * @param answeredBy the staff member who entered the answers by phone, if so
     */
    record SurveyView(String id, String requestId, String status, String channel, String department,
            String serviceCode, long resolutionSequence, Instant createdAt, Instant expiresAt, Instant deliveredAt,
            Instant answeredAt, String answeredBy, String feedbackId) {

        static SurveyView of(Survey survey, Instant now) {
            return new SurveyView(survey.id(), survey.requestId(), survey.statusAt(now), survey.channel(),
                    survey.department(), survey.serviceCode(), survey.resolutionSequence(), survey.createdAt(),
                    survey.expiresAt(), survey.deliveredAt(), survey.answeredAt(), survey.answeredBy(),
                    survey.feedbackId());
        }
    }

    /** @param url the survey's fresh link; the one before no longer opens it */
    record LinkView(String surveyId, String requestId, String url, Instant expiresAt) {
    }
}
