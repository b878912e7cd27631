package org.city311.routing.work;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.city311.platform.security.Caller;
import org.city311.platform.security.Role;
import org.city311.platform.web.Problems;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A department's queue and the actions its staff take on a request: {@code POST}
 * {@value #WORK}{@code /{requestId}/{action}}.
 * Each answer carries the new version as its {@code ETag}; sending it back as {@code If-Match} makes the next
 * action fail (412) if someone else changed the request in between.
 */
@RestController
class WorkController {

    /** Where a request's work lives: {@code <WORK>/{requestId}} and its actions below it. */
    static final String WORK = "/api/work";

    private final DepartmentWork work;
    private final Clock clock;

    WorkController(DepartmentWork work, Clock clock) {
        this.work = work;
        this.clock = clock;
    }

    /**
     * The department's open work, most urgent first, each flagged {@code overdue} or {@code dueSoon}; narrowed by
     * {@code status} (comma list), {@code agent}, and {@code overdue=true}.
     */
    @GetMapping("/api/departments/{department}/queue")
    Flux<WorkView> queue(@PathVariable String department, @RequestParam(required = false) String status,
            @RequestParam(required = false) String agent, @RequestParam(required = false) Boolean overdue,
            Caller caller) {
        if (!WorkAccess.mayRead(caller, department)) {
            return Flux.error(Problems.forbidden("The queue of " + department + " is its own agents' to see."));
        }
        Instant now = clock.instant();
        return work.queue(department, statuses(status), agent)
                .map(item -> WorkView.of(item, now))
                .filter(view -> overdue == null || view.overdue() == overdue);
    }

    @GetMapping(WORK + "/{requestId}")
    Mono<ResponseEntity<WorkView>> get(@PathVariable String requestId, Caller caller) {
        return answer(work.find(requestId).filter(item -> WorkAccess.mayRead(caller, item.department()))
                .switchIfEmpty(Mono.error(() -> Problems.forbidden("Request " + requestId
                        + " is routed to another department."))));
    }

    @PostMapping(WORK + "/{requestId}/accept")
    Mono<ResponseEntity<WorkView>> accept(@PathVariable String requestId, @Valid @RequestBody(required = false) Accept body,
            @RequestHeader(name = "If-Match", required = false) String ifMatch, Caller caller) {
        String agent = body == null || body.agent() == null ? caller.id() : body.agent();
        if (!agent.equals(caller.id()) && !caller.hasAny(Role.SUPERVISOR, Role.ADMIN)) {
            return Mono.error(Problems.forbidden("An agent accepts work for themselves; a supervisor assigns it "
                    + "to someone else."));
        }
        return answer(work.accept(requestId, version(ifMatch), agent));
    }

    @PostMapping(WORK + "/{requestId}/update")
    Mono<ResponseEntity<WorkView>> update(@PathVariable String requestId, @Valid @RequestBody Note body,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        return answer(work.update(requestId, version(ifMatch), visibility(body.visibility()), body.note()));
    }

    @PostMapping(WORK + "/{requestId}/hold")
    Mono<ResponseEntity<WorkView>> hold(@PathVariable String requestId, @Valid @RequestBody Reason body,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        return answer(work.hold(requestId, version(ifMatch), body.reason(), visibility(body.visibility())));
    }

    @PostMapping(WORK + "/{requestId}/resume")
    Mono<ResponseEntity<WorkView>> resume(@PathVariable String requestId,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        return answer(work.resume(requestId, version(ifMatch)));
    }

    @PostMapping(WORK + "/{requestId}/transfer")
    Mono<ResponseEntity<WorkView>> transfer(@PathVariable String requestId, @Valid @RequestBody Transfer body,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        return answer(work.transfer(requestId, version(ifMatch), body.toDepartment(), body.reason(),
                visibility(body.visibility())));
    }

    @PostMapping(WORK + "/{requestId}/resolve")
    Mono<ResponseEntity<WorkView>> resolve(@PathVariable String requestId, @Valid @RequestBody Resolve body,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        return answer(work.resolve(requestId, version(ifMatch), body.resolutionCode(), body.note()));
    }

    @PostMapping(WORK + "/{requestId}/reopen")
    Mono<ResponseEntity<WorkView>> reopen(@PathVariable String requestId, @Valid @RequestBody Reason body,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        return answer(work.reopen(requestId, version(ifMatch), body.reason(), visibility(body.visibility())));
    }

    private Mono<ResponseEntity<WorkView>> answer(Mono<WorkItem> item) {
        return item.map(changed -> ResponseEntity.ok().eTag(String.valueOf(changed.sequence()))
                .body(WorkView.of(changed, clock.instant())));
    }

    /** Who may read a reason or a note: the resident too unless it is marked {@code internal}. */
    private static String visibility(String given) {
        return given == null ? "public" : given;
    }

    private static Set<WorkStatus> statuses(String given) {
        if (given == null || given.isBlank()) {
            return Set.of();
        }
        Set<WorkStatus> statuses = EnumSet.noneOf(WorkStatus.class);
        for (String word : given.split(",")) {
            statuses.add(Arrays.stream(WorkStatus.values()).filter(known -> known.wireName().equals(word.strip()))
                    .findFirst().orElseThrow(() -> Problems.badRequest(List.of(new Problems.FieldProblem("status",
                            "'" + word.strip() + "' is not a status of work in a queue")))));
        }
        return statuses;
    }

    /** The version an {@code If-Match} header names ({@code "3"} or {@code 3}); none when absent. */
    private static Long version(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return null;
        }
        try {
            return Long.parseLong(ifMatch.strip().replace("W/", "").replace("\"", ""));
        }
        catch (NumberFormatException ex) {
            throw Problems.invalid("If-Match", "the version (ETag) of the request, such as \"3\"");
        }
    }

    /** @param agent who takes it on: the caller when left out; a supervisor may name one of their agents */
    record Accept(@Size(min = 1, max = 128) String agent) {
    }

    record Note(@NotBlank @Size(max = 4000) String note,
            @Pattern(regexp = "public|internal", message = "public or internal") String visibility) {
    }

    /** @param visibility who may read the reason: {@code public} (the default) or {@code internal}, for city staff only */
    record Reason(@NotBlank @Size(max = 2000) String reason,
            @Pattern(regexp = "public|internal", message = "public or internal") String visibility) {
    }

    record Transfer(
            @NotBlank @Size(max = 64) @Pattern(regexp = "[a-z0-9][a-z0-9-]*", message = "a department code")
            String toDepartment,
            @NotBlank @Size(max = 2000) String reason,
            @Pattern(regexp = "public|internal", message = "public or internal") String visibility) {
    }

    record Resolve(
            @NotBlank @Size(max = 64) @Pattern(regexp = "[a-z0-9_]+", message = "lower-case letters, digits and '_'")
            String resolutionCode,
            @Size(max = 4000) String note) {
    }

    /**
     * @param overdue open past its resolution due time
     * @param dueSoon open, not overdue, with three quarters of its allowed time gone
     * @param duplicateOf the request this one was linked to as a duplicate: then closed here, its work done there
     * @param customerReportsFixed open, and the customer said it is fixed through an Open311 client (which, when):
     *        the department checks and resolves it; null otherwise
     */
    record WorkView(String requestId, String serviceCode, String department, WorkStatus status, String rule,
            String agent, int transfers, Instant routedAt, Instant updatedAt, Instant heldSince,
            Instant firstActionDueAt, Instant resolutionDueAt, boolean overdue, boolean dueSoon,
            WorkItem.Resolution resolution, long version, String duplicateOf,
            WorkItem.CustomerReport customerReportsFixed) {

        static WorkView of(WorkItem item, Instant now) {
            Instant due = item.resolutionDueAt();
            boolean open = WorkStatus.OPEN.contains(item.status());
            boolean overdue = open && due != null && now.isAfter(due);
            boolean dueSoon = open && !overdue && due != null && item.routedAt() != null
                    && now.isAfter(item.routedAt().plus(Duration.between(item.routedAt(), due).multipliedBy(3).dividedBy(4)));
            return new WorkView(item.id(), item.serviceCode(), item.department(), item.status(), item.rule(),
                    item.agent(), item.transfers(), item.routedAt(), item.updatedAt(), item.heldSince(),
                    item.firstActionDueAt(), due, overdue, dueSoon, item.resolution(), item.sequence(),
                    item.duplicateOf(), open ? item.customerReportsFixed() : null);
        }
    }
}
