package org.city311.request.track;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import reactor.core.publisher.Mono;

import org.city311.platform.web.Problems;
import org.city311.platform.web.RateLimiter;
import org.city311.request.PublicTimeline;
import org.city311.request.RequestStatus;
import org.city311.request.ServiceRequest;
import org.city311.request.catalog.CatalogSnapshot;
import org.city311.request.catalog.ServiceCatalogCopy;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Public tracking: where a request stands, by its number, as any resident may see it (the console's public pages
 * read it under their own identity, role {@code public-reader}). Its public status and timeline, the service and the
 * department; never the resident's details, who filed it, internal notes or staff names. Internal requests (one
 * department asking another) are not the public's: 404, as for an unknown number.
 * <p>
 * Rate-limited per client address, apart from Open311: the console forwards each visitor's address and is a
 * trusted proxy ({@code city311.web.trusted-proxies}), so visitors are limited one by one, while a direct caller is
 * counted by its own address whatever {@code X-Forwarded-For} it sends. One store read, of the public fields only.
 */
@RestController
class TrackController {

    private static final int MAX_ID = 64;

    private final ReactiveMongoTemplate mongo;
    private final ServiceCatalogCopy catalog;
    private final RateLimiter perAddress;

    TrackController(ReactiveMongoTemplate mongo, ServiceCatalogCopy catalog, TrackProperties properties) {
        this.mongo = mongo;
        this.catalog = catalog;
        TrackProperties.RateLimit limit = properties.rateLimit();
        this.perAddress = new RateLimiter(limit.perAddress(), limit.period(), limit.maxTracked(), System::nanoTime);
    }

    /**
     * @param status the public status (a linked duplicate shows its parent's)
     * @param department the department working on it; before routing, the one the catalog gives the service
     * @param updatedAt when its last public step happened
     * @param timeline the public steps, oldest first
     */
    record Tracked(String id, RequestStatus status, String serviceCode, String serviceName, String department,
            String departmentName, String duplicateOf, Instant submittedAt, Instant updatedAt, List<Step> timeline) {
    }

    /** One public step: what happened, the status after it, when, and the city's public words. */
    record Step(String kind, RequestStatus status, Instant at, String note) {
    }

    @GetMapping("/api/track/{id}")
    Mono<Tracked> track(@PathVariable String id, ServerHttpRequest request) {
        RateLimiter.Decision decision = perAddress.tryAcquire(RateLimiter.clientAddress(request));
        if (!decision.allowed()) {
            return Mono.error(tooMany(decision.retryAfterSeconds()));
        }
        if (id.length() > MAX_ID) {
            return Mono.error(notFound(id.substring(0, MAX_ID) + "..."));
        }
        Query published = Query.query(Criteria.where("_id").is(id).and("segment")
                .ne(ServiceRequest.Segment.INTERNAL));
        // what is not public is not even loaded
        published.fields().exclude("resident", "filedBy", "outbox", "additionalReporters", "callerKeys",
                "attributes", "mediaUrls");
        return mongo.findOne(published, ServiceRequest.class)
                .switchIfEmpty(Mono.error(() -> notFound(id)))
                .map(this::tracked);
    }

    private Tracked tracked(ServiceRequest request) {
        Optional<CatalogSnapshot> known = catalog.find();
        Optional<CatalogSnapshot.Service> service = known.flatMap(snapshot -> snapshot.service(request.serviceCode()));
        String department = request.department() != null ? request.department()
                : service.map(CatalogSnapshot.Service::department).orElse(null);
        List<Step> timeline = PublicTimeline.of(request, known).stream()
                .map(step -> new Step(step.change().kindOrStatus(), step.status(), step.change().at(), step.note()))
                .toList();
        // updated when its last public step happened: an internal one (a note, an added caller) shows nowhere here
        Instant updatedAt = timeline.stream().map(Step::at).filter(java.util.Objects::nonNull)
                .max(java.util.Comparator.naturalOrder()).orElse(request.submittedAt());
        return new Tracked(request.id(), request.status(), request.serviceCode(),
                service.map(CatalogSnapshot.Service::name).orElse(request.serviceCode()), department,
                department == null ? null : PublicTimeline.departmentName(department, known), request.duplicateOf(),
                request.submittedAt(), updatedAt, timeline);
    }

    private static ErrorResponseException notFound(String id) {
        return Problems.notFound("No service request " + id + ".");
    }

    private static ErrorResponseException tooMany(long retryAfterSeconds) {
        ErrorResponseException problem = Problems.of(HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
                "Too many tracking requests from this address; try again in " + retryAfterSeconds + " seconds.");
        problem.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        return problem;
    }
}
