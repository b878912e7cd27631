package org.city311.feedback.ideas;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

import org.city311.feedback.calendars.DepartmentCalendars;
import org.city311.platform.security.Caller;
import org.city311.platform.security.Role;
import org.city311.platform.web.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Staff ideas to improve a service: any staff member submits one for a department (and a service, if one); the
 * department's supervisors review it step by step; its author follows each step; ideas put into practice are
 * listed with their authors, and counted per department. No event: no other service needs them.
 */
@RestController
class IdeaController {

    static final String IDEAS = "/api/ideas";
    /** How far back the summary per department counts. */
    static final Duration SUMMARY_WINDOW = Duration.ofDays(365);
    private static final String CODE = "[a-z0-9][a-z0-9-]{0,63}";

    private final IdeaStore store;
    private final DepartmentCalendars catalog;
    private final Clock clock;
    private final MeterRegistry meters;

    IdeaController(IdeaStore store, DepartmentCalendars catalog, Clock clock, MeterRegistry meters) {
        this.catalog = catalog;
        this.store = store;
        this.clock = clock;
        this.meters = meters;
    }

    record Submission(@NotBlank @Size(min = 3, max = 120) String title,
            @NotBlank @Size(min = 10, max = 2000) String change,
            @NotBlank @Pattern(regexp = CODE, message = "a department's code, as the catalog has it") String department,
            @Pattern(regexp = CODE, message = "a service's code, as the catalog has it") String serviceCode) {
    }

    /**
     * @param status {@code under-review}, {@code accepted}, {@code done} or {@code declined}
     * @param note why (required to decline: the author reads it), or what happens next
     * @param version the version reviewed (from the list): refused with 409 if someone reviewed it since; optional
     */
    record Review(@NotBlank String status, @Size(max = 1000) String note, Long version) {
    }

    /** An idea as shown: to its author, to the department's supervisors, and (put into practice) to everyone. */
    /** @param next the statuses a review may move it to from here (none once done or declined) */
    record IdeaView(String id, String title, String change, String department, String serviceCode, String authorName,
            Instant submittedAt, String status, List<String> next, List<StepView> steps, Instant updatedAt,
            long version, Boolean news) {

        static IdeaView of(Idea idea, boolean forAuthor) {
            List<String> next = IdeaStatus.of(idea.status()).map(IdeaStatus::next).orElse(List.of()).stream()
                    .map(IdeaStatus::wire).toList();
            return new IdeaView(idea.id(), idea.title(), idea.change(), idea.department(), idea.serviceCode(),
                    idea.authorName(), idea.submittedAt(), idea.status(), next, idea.steps().stream()
                            .map(StepView::of).toList(), idea.updatedAt(), idea.version(),
                    forAuthor ? idea.newsForAuthor() : null);
        }
    }

    /** A step as shown: who moved it by name only (their id stays in the store, for the record). */
    record StepView(String status, Instant at, String byName, String note) {

        static StepView of(Idea.Step step) {
            return new StepView(step.status(), step.at(), step.byName(), step.note());
        }
    }

    /** Per department, the ideas submitted within the window, by where they stand. */
    record DepartmentIdeas(String department, long received, long open, long actedOn, long done, long declined) {
    }

    record Summary(long windowDays, List<DepartmentIdeas> departments) {
    }

    @PostMapping(IDEAS)
    @ResponseStatus(HttpStatus.CREATED)
    Mono<IdeaView> submit(@Valid @RequestBody Submission body, Caller caller) {
        // (an idea for a department the catalog does not list would wait for a review nobody can give)
        if (!catalog.listsDepartment(body.department()).orElse(true)) {
            return Mono.error(Problems.invalid("department", "no department '" + body.department()
                    + "' in the catalog in force"));
        }
        if (body.serviceCode() != null && !catalog.listsService(body.serviceCode()).orElse(true)) {
            return Mono.error(Problems.invalid("serviceCode", "no service '" + body.serviceCode()
                    + "' in the catalog in force"));
        }
        Idea idea = Idea.submitted(UUID.randomUUID().toString(), body.title().strip(), body.change().strip(),
                body.department(), body.serviceCode(), caller.id(), caller.name(), now());
        // (no department on the counters: before a catalog arrives a code is checked for form only)
        return store.insert(idea).doOnNext(stored -> Counter.builder("city311.ideas.submitted")
                .description("Staff ideas submitted").register(meters).increment())
                .map(stored -> IdeaView.of(stored, true));
    }

    /**
     * {@code view=mine} (the default): the caller's own, each saying whether a step is news to them;
     * {@code department}: a department's (its supervisors, auditors and admins; {@code department} defaults to the
     * caller's); {@code recognised}: those accepted or done, with their authors, for everyone.
     */
    @GetMapping(IDEAS)
    Mono<List<IdeaView>> list(@RequestParam(defaultValue = "mine") String view,
            @RequestParam(required = false) String department, Caller caller) {
        return switch (view) {
            case "mine" -> store.byAuthor(caller.id()).map(idea -> IdeaView.of(idea, true)).collectList();
            case "department" -> {
                String which = department != null ? department : caller.department();
                if (which == null || !(caller.supervises(which) || caller.hasAny(Role.AUDITOR, Role.ADMIN))) {
                    yield Mono.error(Problems.forbidden("A department's ideas are for its supervisors to review."));
                }
                yield store.byDepartment(which).map(idea -> IdeaView.of(idea, false)).collectList();
            }
            case "recognised" -> store.withStatus(List.of(IdeaStatus.ACCEPTED.wire(), IdeaStatus.DONE.wire()))
                    .map(idea -> IdeaView.of(idea, false)).collectList();
            default -> Mono.error(Problems.badRequest(List.of(new Problems.FieldProblem("view",
                    "mine, department or recognised"))));
        };
    }

    /** The author looked at their ideas: what moved so far is no longer news. */
    @PostMapping(IDEAS + "/seen")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> seen(Caller caller) {
        return store.seen(caller.id(), now()).then();
    }

    @PostMapping(IDEAS + "/{id}/review")
    Mono<IdeaView> review(@PathVariable String id, @Valid @RequestBody Review body, Caller caller) {
        IdeaStatus next = IdeaStatus.of(body.status()).filter(status -> status != IdeaStatus.SUBMITTED)
                .orElse(null);
        if (next == null) {
            return Mono.error(Problems.invalid("status", "under-review, accepted, done or declined"));
        }
        return store.find(id)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("There is no idea '" + id + "'.")))
                .flatMap(idea -> {
                    if (!caller.supervises(idea.department()) && !caller.has(Role.ADMIN)) {
                        return Mono.error(Problems.forbidden("Ideas for " + idea.department()
                                + " are reviewed by its supervisors."));
                    }
                    if (body.version() != null && body.version() != idea.version()) {
                        return Mono.error(Problems.conflict("Someone reviewed this idea since you read it: it is "
                                + idea.status() + " now."));
                    }
                    IdeaStatus current = IdeaStatus.of(idea.status()).orElseThrow();
                    var refused = current.refusal(next, body.note());
                    if (refused.isPresent()) {
                        return Mono.error(Problems.conflict(refused.get()));
                    }
                    String note = body.note() == null || body.note().isBlank() ? null : body.note().strip();
                    return store.review(idea.reviewed(next, now(), caller.id(), caller.name(), note))
                            .switchIfEmpty(Mono.error(() -> Problems.conflict("Someone reviewed this idea at the "
                                    + "same moment; read it again.")));
                })
                .doOnNext(reviewed -> Counter.builder("city311.ideas.reviewed")
                        .description("Reviews of staff ideas, by the status given")
                        .tag("status", reviewed.status()).register(meters)
                        .increment())
                .map(reviewed -> IdeaView.of(reviewed, false));
    }

    /** Per department, the ideas of the last year: received, still open, acted on (accepted or done), declined. */
    @GetMapping(IDEAS + "/summary")
    Mono<Summary> summary() {
        return store.submittedSince(now().minus(SUMMARY_WINDOW)).collectList().map(ideas -> {
            Map<String, long[]> byDepartment = new TreeMap<>();
            for (IdeaStore.Standing idea : ideas) {
                long[] counts = byDepartment.computeIfAbsent(idea.department(), department -> new long[5]);
                IdeaStatus status = IdeaStatus.of(idea.status()).orElse(IdeaStatus.SUBMITTED);
                counts[0]++;
                counts[1] += status == IdeaStatus.SUBMITTED || status == IdeaStatus.UNDER_REVIEW ? 1 : 0;
                counts[2] += status.actedOn() ? 1 : 0;
                counts[3] += status == IdeaStatus.DONE ? 1 : 0;
                counts[4] += status == IdeaStatus.DECLINED ? 1 : 0;
            }
            return new Summary(SUMMARY_WINDOW.toDays(), byDepartment.entrySet().stream()
                    .map(entry -> new DepartmentIdeas(entry.getKey(), entry.getValue()[0], entry.getValue()[1],
                            entry.getValue()[2], entry.getValue()[3], entry.getValue()[4]))
                    .toList());
        });
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
