package org.city311.feedback.survey;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

import org.city311.platform.security.Caller;
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
 * Surveys as JSON: staff look up a request's invitations (with the link, to run one by phone), and clients post the
 * answers to a link. Errors are problem+json: 400 invalid answers, 404 unknown or forged token, 409 already answered,
 * 410 closed, 429 too many.
 */
@RestController
class SurveyApiController {

    private final ReactiveMongoTemplate mongo;
    private final SurveyResponses responses;
    private final SurveyProperties properties;
    private final Clock clock;

    SurveyApiController(ReactiveMongoTemplate mongo, SurveyResponses responses, SurveyProperties properties,
            Clock clock) {
        this.mongo = mongo;
        this.responses = responses;
        this.properties = properties;
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
                // The token answers as the resident: only staff, who run the survey with them by phone, get it.
                .map(survey -> SurveyView.of(survey, properties.baseUrl(), now))
                .map(view -> caller.has(Role.STAFF) ? view : view.withoutLink())
                .collectSortedList(Comparator.comparing(SurveyView::createdAt));
    }

    @PostMapping("/api/surveys/{token}/responses")
    Mono<ResponseEntity<ResponseView>> respond(@PathVariable String token, @Valid @RequestBody Answers body) {
        return responses.answer(token, new SurveyResponses.Answers(body.satisfaction(), body.resolved(), body.ease(),
                        body.comment()))
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
     * One invitation as staff see it.
     *
     * @param url the survey's link, to send or to open while running it by phone
     * @param channel how it reaches the customer: {@code email}, {@code internal} (the requesting department's staff)
     *        or {@code phone} (staff run it)
     */
    record SurveyView(String id, String requestId, String token, String status, String url, String channel,
            String department, String serviceCode, long resolutionSequence, Instant createdAt, Instant expiresAt,
            Instant deliveredAt, Instant answeredAt, String feedbackId) {

        SurveyView withoutLink() {
            return new SurveyView(id, requestId, null, status, null, channel, department, serviceCode,
                    resolutionSequence, createdAt, expiresAt, deliveredAt, answeredAt, feedbackId);
        }

        static SurveyView of(Survey survey, String baseUrl, Instant now) {
            return new SurveyView(survey.id(), survey.requestId(), survey.token(), survey.statusAt(now),
                    baseUrl + "/surveys/" + survey.token(), survey.channel(), survey.department(), survey.serviceCode(),
                    survey.resolutionSequence(), survey.createdAt(), survey.expiresAt(), survey.deliveredAt(),
                    survey.answeredAt(), survey.feedbackId());
        }
    }
}
