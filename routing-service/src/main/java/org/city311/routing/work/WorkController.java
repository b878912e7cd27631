package org.city311.routing.work;

import java.time.Instant;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A department's queue and the actions its staff take on a request. */
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

    @PostMapping("/api/work/{requestId}/resolve")
    Mono<WorkView> resolve(@PathVariable String requestId, @Valid @RequestBody Resolve body) {
        return work.resolve(requestId, body.resolutionCode(), body.note()).map(WorkView::of);
    }

    record Resolve(
            @NotBlank @Size(max = 64) @Pattern(regexp = "[a-z0-9_]+", message = "lower-case letters, digits and '_'")
            String resolutionCode,
            @Size(max = 4000) String note) {
    }

    record WorkView(String requestId, String serviceCode, String department, WorkStatus status, String rule,
            Instant routedAt, Instant updatedAt, WorkItem.Resolution resolution, long version) {

        static WorkView of(WorkItem item) {
            return new WorkView(item.id(), item.serviceCode(), item.department(), item.status(), item.rule(),
                    item.routedAt(), item.updatedAt(), item.resolution(), item.sequence());
        }
    }
}
