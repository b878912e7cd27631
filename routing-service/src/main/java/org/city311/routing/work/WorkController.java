package org.city311.routing.work;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.city311.contracts.TransferReason;
import org.city311.platform.domain.DomainException;
import org.city311.platform.security.Caller;
import org.city311.platform.security.Role;
import org.city311.platform.web.Problems;
import org.city311.routing.catalog.ServiceCatalog;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

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
    /** A department's queue. */
    static final String QUEUE = "/api/departments/{department}/queue";
    /** The most items one bulk assignment takes. */
    static final int BULK_LIMIT = 100;
    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 200;

    private final DepartmentWork work;
    private final DepartmentQueue queue;
    private final QueueChanges queueChanges;
    private final ServiceCatalog catalog;
    private final Clock clock;

    WorkController(DepartmentWork work, DepartmentQueue queue, QueueChanges queueChanges, ServiceCatalog catalog,
            Clock clock) {
        this.work = work;
        this.queue = queue;
        this.queueChanges = queueChanges;
        this.catalog = catalog;
        this.clock = clock;
    }

    /**
     * The department's open work, most urgent first, each flagged {@code overdue} or {@code dueSoon}, a page of
     * {@code limit} at a time (the next page's link in a {@code Link} header); narrowed by {@code view} and by the older
     * {@code status} (comma list), {@code agent}, and {@code overdue}. Its {@code ETag} changes whenever work of the
     * department is written or a flag turns with time: sent back as {@code If-None-Match}, an unchanged queue is a 304
     * after one read by {@code _id} ({@link QueueChanges}), without reading any work.
     */
    @GetMapping(QUEUE)
    Mono<ResponseEntity<List<WorkView>>> queue(@PathVariable String department,
            @RequestParam(required = false) String status, @RequestParam(required = false) String agent,
            @RequestParam(required = false) Boolean overdue, @RequestParam(required = false) String view,
            @RequestParam(required = false) String limit, @RequestParam(required = false) String after,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
            Caller caller, ServerHttpRequest request) {
        readable(caller, department);
        DepartmentQueue.Filter filter = filter(View.of(view), statuses(status), agent, overdue, caller);
        int size = limit(limit);
        QueueCursor cursor = after == null || after.isEmpty() ? null : QueueCursor.decode(after);
        String key = String.join("|", "queue", department, String.valueOf(view), String.valueOf(status),
                String.valueOf(agent), String.valueOf(overdue), String.valueOf(size), String.valueOf(after),
                View.of(view) == View.MINE ? caller.id() : "");
        // the counter first, the work after: an answer is never newer than the ETag it carries
        return queueChanges.of(department).flatMap(changes -> {
            Instant now = clock.instant();
            Optional<String> unchanged = QueueTag.unchanged(ifNoneMatch, changes, key, now);
            if (unchanged.isPresent()) {
                return Mono.just(ResponseEntity.status(HttpStatus.NOT_MODIFIED).headers(queueHeaders())
                        .eTag(unchanged.get()).<List<WorkView>>build());
            }
            return queue.page(department, filter, cursor, size, now).map(page -> {
                ResponseEntity.BodyBuilder answer = ResponseEntity.ok().headers(queueHeaders())
                        .eTag(QueueTag.of(changes, page.validUntil(), key));
                if (page.next() != null) {
                    answer.header(HttpHeaders.LINK, "<" + UriComponentsBuilder.fromPath(request.getPath().value())
                            .query(request.getURI().getRawQuery()).replaceQueryParam("after", page.next().encode())
                            .build(true).toUriString() + ">; rel=\"next\"");
                }
                return answer.body(page.items().stream().map(item -> WorkView.of(item, now)).toList());
            });
        });
    }

    /**
     * How much open work each view of the queue holds ({@code mine}: the caller's), with an {@code ETag} as the
     * queue's: one query of the department's open work when it changed, one read by {@code _id} when it did not.
     */
    @GetMapping(QUEUE + "/counts")
    Mono<ResponseEntity<QueueCounts>> counts(@PathVariable String department,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch, Caller caller) {
        readable(caller, department);
        String key = "counts|" + department + "|" + caller.id();
        return queueChanges.of(department).flatMap(changes -> {
            Instant now = clock.instant();
            Optional<String> unchanged = QueueTag.unchanged(ifNoneMatch, changes, key, now);
            if (unchanged.isPresent()) {
                return Mono.just(ResponseEntity.status(HttpStatus.NOT_MODIFIED).headers(queueHeaders())
                        .eTag(unchanged.get()).<QueueCounts>build());
            }
            return queue.counts(department, caller.id(), now).map(counts -> ResponseEntity.ok()
                    .headers(queueHeaders()).eTag(QueueTag.of(changes, counts.validUntil(), key))
                    .body(new QueueCounts(counts.all(), counts.mine(), counts.unassigned(), counts.onHold(),
                            counts.overdue())));
        });
    }

    /**
     * Gives a request to an agent of its department, to another, or to none ({@code agent} null or empty), without
     * accepting it: the status stays. Supervisors of its department and admins; an agent may give it to themselves
     * only. {@code If-Match} as for every action.
     */
    @PostMapping(WORK + "/{requestId}/assign")
    Mono<ResponseEntity<WorkView>> assign(@PathVariable String requestId, @Valid @RequestBody Assign body,
            @RequestHeader(name = "If-Match", required = false) String ifMatch, Caller caller) {
        String agent = body.agentOrNull();
        if (!caller.hasAny(Role.SUPERVISOR, Role.ADMIN) && !caller.id().equals(agent)) {
            return Mono.error(Problems.forbidden("A supervisor assigns work to others or takes it back; an agent may "
                    + "assign it to themselves only."));
        }
        return answer(work.assign(requestId, version(ifMatch), agent, null));
    }

    /**
     * Gives up to {@value #BULK_LIMIT} requests of the department's queue to one agent (or to none), each on the
     * version the supervisor saw: one result per item, in the order given, each applied or refused on its own
     * ({@code assigned}, {@code conflict}: changed or moved since, or not open; {@code not-found}; {@code forbidden}:
     * routed to a department the caller does not work for). Supervisors of the department and admins.
     */
    @PostMapping("/api/departments/{department}/assignments")
    Mono<BulkResults> assignAll(@PathVariable String department, @Valid @RequestBody BulkAssign body,
            Caller caller) {
        if (!caller.supervises(department) && !caller.has(Role.ADMIN)) {
            return Mono.error(Problems.forbidden("Only a supervisor of " + department + " (or an admin) assigns "
                    + "its work."));
        }
        if (catalog.current().department(department).isEmpty()) {
            return Mono.error(Problems.notFound("No department " + department + "."));
        }
        String agent = body.agentOrNull();
        return Flux.fromIterable(body.items())
                .concatMap(entry -> work.assign(entry.requestId(), entry.version(), agent, department)
                        .map(item -> new BulkResult(entry.requestId(), BulkResult.ASSIGNED, item.sequence(),
                                item.agent(), null))
                        .onErrorResume(DomainException.class, refused -> Mono.just(BulkResult.of(entry,
                                refused))))
                .collectList()
                .map(BulkResults::new);
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
                TransferReason.counted(body.reasonCode()), visibility(body.visibility())));
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

    /** 403 unless the caller may read the department's queue; 404 for a department the catalog does not know. */
    private void readable(Caller caller, String department) {
        if (!WorkAccess.mayRead(caller, department)) {
            throw Problems.forbidden("The queue of " + department + " is its own agents' to see.");
        }
        if (catalog.current().department(department).isEmpty()) {
            throw Problems.notFound("No department " + department + ".");
        }
    }

    /** The one answer a queue's caches may keep: the caller's own, checked again each time. */
    private static HttpHeaders queueHeaders() {
        HttpHeaders headers = new HttpHeaders();
        headers.setCacheControl("private, no-cache");
        headers.setVary(List.of(HttpHeaders.AUTHORIZATION));
        return headers;
    }

    /** The parts of a queue: what each {@code view} lists. */
    enum View {
        ALL("all"), MINE("mine"), UNASSIGNED("unassigned"), ON_HOLD("on-hold"), OVERDUE("overdue");

        private final String wireName;

        View(String wireName) {
            this.wireName = wireName;
        }

        static View of(String given) {
            if (given == null || given.isBlank()) {
                return ALL;
            }
            return Arrays.stream(values()).filter(view -> view.wireName.equals(given.strip())).findFirst()
                    .orElseThrow(() -> Problems.badRequest(List.of(new Problems.FieldProblem("view",
                            "'" + given.strip() + "' is not a view of a queue: all, mine, unassigned, on-hold or "
                                    + "overdue"))));
        }
    }

    /** The view and the older parameters together; parameters that contradict each other match nothing. */
    static DepartmentQueue.Filter filter(View view, Set<WorkStatus> given, String agent, Boolean overdue,
            Caller caller) {
        Set<WorkStatus> statuses = EnumSet.copyOf(given.isEmpty() ? WorkStatus.OPEN : given);
        String whose = agent;
        boolean unassigned = false;
        Boolean late = overdue;
        boolean nothing = false;
        switch (view) {
            case MINE -> {
                nothing = whose != null && !whose.equals(caller.id());
                whose = caller.id();
            }
            case UNASSIGNED -> {
                nothing = whose != null;
                unassigned = true;
            }
            case ON_HOLD -> statuses.retainAll(EnumSet.of(WorkStatus.ON_HOLD));
            case OVERDUE -> {
                nothing = Boolean.FALSE.equals(late);
                late = Boolean.TRUE;
            }
            case ALL -> {
            }
        }
        if (Boolean.TRUE.equals(late)) {
            statuses.retainAll(WorkStatus.OPEN); // only open work is overdue
        }
        return new DepartmentQueue.Filter(statuses, whose, unassigned, late, nothing);
    }

    private static int limit(String given) {
        if (given == null || given.isBlank()) {
            return DEFAULT_PAGE;
        }
        try {
            int limit = Integer.parseInt(given.strip());
            if (limit >= 1 && limit <= MAX_PAGE) {
                return limit;
            }
        }
        catch (NumberFormatException ignored) {
            // refused below
        }
        throw Problems.badRequest(List.of(new Problems.FieldProblem("limit",
                "a page size from 1 to " + MAX_PAGE + " (" + DEFAULT_PAGE + " when left out)")));
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

    /** @param agent who gets it: an agent's subject; null or empty to take it back from whoever has it */
    record Assign(@Size(max = 128) String agent) {

        String agentOrNull() {
            return agent == null || agent.isBlank() ? null : agent.strip();
        }
    }

    /**
     * @param agent as for {@link Assign}
     * @param items the requests, each with the version the supervisor saw (left out: whatever it is now)
     */
    record BulkAssign(@Size(max = 128) String agent,
            @NotNull @Size(min = 1, max = BULK_LIMIT) List<@Valid @NotNull BulkItem> items) {

        String agentOrNull() {
            return new Assign(agent).agentOrNull();
        }
    }

    record BulkItem(@NotBlank @Size(max = 64) String requestId, Long version) {
    }

    /**
     * @param result {@value #ASSIGNED}, {@value #CONFLICT}, {@value #NOT_FOUND} or {@value #FORBIDDEN}
     * @param version the item's version after the assignment; null when refused
     * @param agent who has it now; null when refused or unassigned
     * @param detail why it was refused, as a person reads it
     */
    record BulkResult(String requestId, String result, Long version, String agent, String detail) {

        static final String ASSIGNED = "assigned";
        static final String CONFLICT = "conflict";
        static final String NOT_FOUND = "not-found";
        static final String FORBIDDEN = "forbidden";

        static BulkResult of(BulkItem item, DomainException refused) {
            String result = switch (refused.kind()) {
                case NOT_FOUND -> NOT_FOUND;
                case FORBIDDEN -> FORBIDDEN;
                default -> CONFLICT;
            };
            return new BulkResult(item.requestId(), result, null, null, refused.detail());
        }
    }

    record BulkResults(List<BulkResult> results) {
    }

    /** How much open work each view lists: {@code mine} is the caller's. */
    record QueueCounts(long all, long mine, long unassigned, long onHold, long overdue) {
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
            @Pattern(regexp = TransferReason.WIRE_NAMES, message = "one of " + TransferReason.LISTED) String reasonCode,
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
     * @param description the request's description, its first {@value WorkItem#DESCRIPTION_LENGTH} characters at
     *        most; null when it has none, or was routed before descriptions were kept here
     * @param location where the problem is ({@code address}, {@code latitude}, {@code longitude}); null likewise
     */
    record WorkView(String requestId, String serviceCode, String department, WorkStatus status, String rule,
            String agent, int transfers, Instant routedAt, Instant updatedAt, Instant heldSince,
            Instant firstActionDueAt, Instant resolutionDueAt, boolean overdue, boolean dueSoon,
            WorkItem.Resolution resolution, long version, String duplicateOf,
            WorkItem.CustomerReport customerReportsFixed, String description, WorkItem.Location location) {

        static WorkView of(WorkItem item, Instant now) {
            boolean open = WorkStatus.OPEN.contains(item.status());
            return new WorkView(item.id(), item.serviceCode(), item.department(), item.status(), item.rule(),
                    item.agent(), item.transfers(), item.routedAt(), item.updatedAt(), item.heldSince(),
                    item.firstActionDueAt(), item.resolutionDueAt(), DepartmentQueue.overdue(item, now),
                    DepartmentQueue.dueSoon(item, now), item.resolution(), item.sequence(), item.duplicateOf(),
                    open ? item.customerReportsFixed() : null, item.description(), item.location());
        }
    }
}
