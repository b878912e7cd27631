package org.city311.feedback.survey;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
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
import org.springframework.data.domain.Sort;
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
 * each time, which revokes the one before: a link is a credential); the staff who asked for internal requests find
 * their own surveys, fetch their links and answer them; clients post the answers to a link, and staff who do so with
 * their own token are recorded as having given them (as the customer) or taken them by phone. Errors are problem+json: 400 invalid
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

    /**
     * A request's survey invitations, oldest first: empty when none was sent (not resolved yet, or not sampled), or
     * none is the caller's to see. Staff and auditors see every one; a supervisor those of the department that
     * handled it; an agent or supervisor those of an internal request their department asked for, or they filed.
     */
    @GetMapping(value = "/api/surveys", params = "requestId")
    Mono<List<SurveyView>> list(@RequestParam String requestId, Caller caller) {
        if (requestId.isBlank()) {
            return Mono.error(Problems.badRequest(List.of(new Problems.FieldProblem("requestId",
                    "the request whose surveys to list is required"))));
        }
        Instant now = clock.instant();
        return mongo.findById(requestId, KnownRequest.class).map(Optional::of).defaultIfEmpty(Optional.empty())
                .flatMapMany(request -> mongo.find(Query.query(Criteria.where("requestId").is(requestId)),
                                Survey.class)
                        .filter(survey -> caller.hasAny(Role.STAFF, Role.AUDITOR)
                                || caller.supervises(survey.department()) || survey.askedBy(caller)
                                || request.map(known -> known.askedBy(caller)).orElse(false)))
                .map(survey -> SurveyView.of(survey, now))
                .collectSortedList(Comparator.comparing(SurveyView::createdAt));
    }

    /**
     * The caller's own surveys, as the customer of internal requests: those their department asked for (agents and
     * supervisors) and those they filed. {@code status=open} (the default): those they can still answer, soonest
     * closing first; {@code all}: every one, newest first. Paged: {@code limit} (1-100, 20), and {@code after} the
     * page's {@code next}.
     */
    @GetMapping(value = "/api/surveys", params = "!requestId")
    Mono<SurveyPage> mine(@RequestParam(required = false) String status,
            @RequestParam(required = false) String after, @RequestParam(required = false) String limit,
            Caller caller) {
        boolean open = status == null || status.equals("open");
        if (!open && !status.equals("all")) {
            return Mono.error(badParameter("status", "open (the default) or all"));
        }
        int size = limit(limit);
        Instant now = clock.instant();
        String sortField = open ? "expiresAt" : "createdAt";
        Sort.Direction direction = open ? Sort.Direction.ASC : Sort.Direction.DESC;
        List<Criteria> asked = new ArrayList<>();
        asked.add(Criteria.where("requester.filedBy").is(caller.id()));
        if (caller.department() != null && caller.hasAny(Role.AGENT, Role.SUPERVISOR)) {
            asked.add(Criteria.where("requester.department").is(caller.department()));
        }
        List<Criteria> all = new ArrayList<>();
        all.add(Criteria.where("requester.segment").is("internal"));
        all.add(new Criteria().orOperator(asked));
        if (open) {
            all.add(Criteria.where("status").in(Survey.OPEN));
            all.add(Criteria.where("expiresAt").gt(now));
        }
        if (after != null) {
            Cursor cursor = Cursor.parse(after);
            all.add(new Criteria().orOperator(
                    open ? Criteria.where(sortField).gt(cursor.at()) : Criteria.where(sortField).lt(cursor.at()),
                    new Criteria().andOperator(Criteria.where(sortField).is(cursor.at()),
                            open ? Criteria.where("_id").gt(cursor.id()) : Criteria.where("_id").lt(cursor.id()))));
        }
        Query query = Query.query(new Criteria().andOperator(all))
                .with(Sort.by(direction, sortField).and(Sort.by(direction, "_id"))).limit(size + 1);
        return mongo.find(query, Survey.class).collectList().map(found -> {
            List<Survey> page = found.size() > size ? found.subList(0, size) : found;
            String next = null;
            if (found.size() > size) {
                Survey last = page.get(page.size() - 1);
                next = new Cursor(open ? last.expiresAt() : last.createdAt(), last.id()).encode();
            }
            return new SurveyPage(page.stream().map(survey -> SurveyView.of(survey, now)).toList(), next);
        });
    }

    /** @param next the {@code after} of the next page; null on the last */
    record SurveyPage(List<SurveyView> surveys, String next) {
    }

    /** Where a page ended: the sort field's instant and the survey's id, opaque to clients. */
    record Cursor(Instant at, String id) {

        String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString((at.toEpochMilli() + "~" + id)
                    .getBytes(StandardCharsets.UTF_8));
        }

        static Cursor parse(String after) {
            try {
                String decoded = new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8);
                int tilde = decoded.indexOf('~');
                return new Cursor(Instant.ofEpochMilli(Long.parseLong(decoded.substring(0, tilde))),
                        decoded.substring(tilde + 1));
            }
            catch (RuntimeException ex) {
                throw badParameter("after", "the next of the page before, as it was given");
            }
        }
    }

    private static int limit(String limit) {
        if (limit == null) {
            return 20;
        }
        try {
            int parsed = Integer.parseInt(limit);
            if (parsed >= 1 && parsed <= 100) {
                return parsed;
            }
        }
        catch (NumberFormatException ex) {
            // said below
        }
        throw badParameter("limit", "a whole number from 1 to 100");
    }

    private static RuntimeException badParameter(String field, String detail) {
        return Problems.badRequest(List.of(new Problems.FieldProblem(field, detail)));
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

    /**
     * Staff any survey; an agent or supervisor the survey of an internal request their department asked for or they
     * filed.
     */
    private Mono<Boolean> mayRunSurvey(Caller caller, String surveyId) {
        if (caller.has(Role.STAFF)) {
            return Mono.just(true);
        }
        return mongo.findById(surveyId, Survey.class)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("No survey " + surveyId + ".")))
                .flatMap(survey -> mongo.findById(survey.requestId(), KnownRequest.class))
                .map(request -> request.askedBy(caller))
                .defaultIfEmpty(false);
    }

    @PostMapping("/api/surveys/{token}/responses")
    Mono<ResponseEntity<ResponseView>> respond(@PathVariable String token, @Valid @RequestBody Answers body) {
        SurveyResponses.Answers answers = new SurveyResponses.Answers(body.satisfaction(), body.resolved(),
                body.ease(), body.comment());
        // Public: the link is the credential. Who sends their own token is recorded (see SurveyResponses): as the
        // customer of an internal request they asked for, or as staff who entered the answers by phone.
        return callers.current().map(Optional::of).defaultIfEmpty(Optional.empty())
                .flatMap(caller -> responses.answer(token, answers, caller.orElse(null)))
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
     * @param answeredBy the staff member who entered the answers (by phone, or as the internal request's customer)
     * @param requestingDepartment for an internal request, the department that asked (its customer)
     * @param filedBy for an internal request, the staff member who filed it, if known
     */
    record SurveyView(String id, String requestId, String status, String channel, String department,
            String serviceCode, long resolutionSequence, Instant createdAt, Instant expiresAt, Instant deliveredAt,
            Instant answeredAt, String answeredBy, String feedbackId, String requestingDepartment, String filedBy) {

        static SurveyView of(Survey survey, Instant now) {
            Survey.Requester requester = survey.requester() == null ? Survey.Requester.UNKNOWN : survey.requester();
            return new SurveyView(survey.id(), survey.requestId(), survey.statusAt(now), survey.channel(),
                    survey.department(), survey.serviceCode(), survey.resolutionSequence(), survey.createdAt(),
                    survey.expiresAt(), survey.deliveredAt(), survey.answeredAt(), survey.answeredBy(),
                    survey.feedbackId(), requester.department(), requester.filedBy());
        }
    }

    /** @param url the survey's fresh link; the one before no longer opens it */
    record LinkView(String surveyId, String requestId, String url, Instant expiresAt) {
    }
}
