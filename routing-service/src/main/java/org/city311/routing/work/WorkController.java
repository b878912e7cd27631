package org.city311.routing.work;

import java.time.Instant;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.city311.platform.web.Problems;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * A department's queue and the actions its staff take on a request: {@code POST /api/work/{requestId}/{action}}.
 * Each answer carries the new version as its {@code ETag}; sending it back as {@code If-Match} makes the next
 * action fail (412) if someone else changed the request in between.
 */
@RestController
class WorkController {

    private final DepartmentWork work;

    WorkController(DepartmentWork work) {
        this.work = work;
    }

    @GetMapping("/api/departments/{department}/queue")
    Flux<WorkView> queue(@PathVariable String department) {
        return work.queue(department).map(WorkView::of);
    }

    @GetMapping("/api/work/{requestId}")
    Mono<ResponseEntity<WorkView>> get(@PathVariable String requestId) {
        return answer(work.find(requestId));
    }

    @PostMapping("/api/work/{requestId}/accept")
    Mono<ResponseEntity<WorkView>> accept(@PathVariable String requestId, @Valid @RequestBody Accept body,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        return answer(work.accept(requestId, version(ifMatch), body.agent()));
    }

    @PostMapping("/api/work/{requestId}/update")
    Mono<ResponseEntity<WorkView>> update(@PathVariable String requestId, @Valid @RequestBody Note body,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        return answer(work.update(requestId, version(ifMatch), body.visibility() == null ? "public" : body.visibility(),
                body.note()));
    }

    @PostMapping("/api/work/{requestId}/hold")
    Mono<ResponseEntity<WorkView>> hold(@PathVariable String requestId, @Valid @RequestBody Reason body,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        return answer(work.hold(requestId, version(ifMatch), body.reason()));
    }

    @PostMapping("/api/work/{requestId}/resume")
    Mono<ResponseEntity<WorkView>> resume(@PathVariable String requestId,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        return answer(work.resume(requestId, version(ifMatch)));
    }

    @PostMapping("/api/work/{requestId}/transfer")
    Mono<ResponseEntity<WorkView>> transfer(@PathVariable String requestId, @Valid @RequestBody Transfer body,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        return answer(work.transfer(requestId, version(ifMatch), body.toDepartment(), body.reason()));
    }

    @PostMapping("/api/work/{requestId}/resolve")
    Mono<ResponseEntity<WorkView>> resolve(@PathVariable String requestId, @Valid @RequestBody Resolve body,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        return answer(work.resolve(requestId, version(ifMatch), body.resolutionCode(), body.note()));
    }

    @PostMapping("/api/work/{requestId}/reopen")
    Mono<ResponseEntity<WorkView>> reopen(@PathVariable String requestId, @Valid @RequestBody Reason body,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        return answer(work.reopen(requestId, version(ifMatch), body.reason()));
    }

    private static Mono<ResponseEntity<WorkView>> answer(Mono<WorkItem> item) {
        return item.map(changed -> ResponseEntity.ok().eTag(String.valueOf(changed.sequence())).body(WorkView.of(changed)));
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

    /** @param agent who takes it on (until sign-in exists, the caller names themselves) */
    record Accept(@NotBlank @Size(max = 128) String agent) {
    }

    record Note(@NotBlank @Size(max = 4000) String note,
            @Pattern(regexp = "public|internal", message = "public or internal") String visibility) {
    }

    record Reason(@NotBlank @Size(max = 2000) String reason) {
    }

    record Transfer(
            @NotBlank @Size(max = 64) @Pattern(regexp = "[a-z0-9][a-z0-9-]*", message = "a department code")
            String toDepartment,
            @NotBlank @Size(max = 2000) String reason) {
    }

    record Resolve(
            @NotBlank @Size(max = 64) @Pattern(regexp = "[a-z0-9_]+", message = "lower-case letters, digits and '_'")
            String resolutionCode,
            @Size(max = 4000) String note) {
    }

    record WorkView(String requestId, String serviceCode, String department, WorkStatus status, String rule,
            String agent, int transfers, Instant routedAt, Instant updatedAt, Instant heldSince,
            WorkItem.Resolution resolution, long version) {

        static WorkView of(WorkItem item) {
            return new WorkView(item.id(), item.serviceCode(), item.department(), item.status(), item.rule(),
                    item.agent(), item.transfers(), item.routedAt(), item.updatedAt(), item.heldSince(),
                    item.resolution(), item.sequence());
        }
    }
}
