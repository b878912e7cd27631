package org.city311.request.status;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import reactor.core.publisher.Mono;

import org.city311.platform.web.Problems;
import org.city311.request.Channel;
import org.city311.request.RequestStatus;
import org.city311.request.ServiceRequest;
import org.city311.platform.security.Caller;
import org.city311.platform.security.Role;
import org.city311.request.access.RequestAccess;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Where a request stands and how it got there; and staff's search over all of them. */
@RestController
class RequestStatusController {

    private final ReactiveMongoTemplate mongo;
    private final RequestSearch search;

    RequestStatusController(ReactiveMongoTemplate mongo, RequestSearch search) {
        this.mongo = mongo;
        this.search = search;
    }

    /**
     * Requests matching every filter given, newest first, a page at a time ({@code next} is the next cursor): one
     * store query per page. A resident's {@code phone} or {@code email} ("has this caller reported before?") is
     * for those who see residents' details: staff over every request, agents and supervisors over their
     * department's and their own filings; others get 403.
     */
    @GetMapping("/api/requests")
    Mono<ResponseEntity<SearchPage>> search(@RequestParam(required = false) String status,
            @RequestParam(required = false) String department, @RequestParam(required = false) String serviceCode,
            @RequestParam(required = false) String channel, @RequestParam(required = false) String filedBy,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) String q, @RequestParam(required = false) String limit,
            @RequestParam(required = false) String cursor, @RequestParam(required = false) String phone,
            @RequestParam(required = false) String email, @RequestParam(required = false) String district,
            @RequestParam(required = false) String segment, @RequestParam(required = false) String duplicateOf,
            ServerHttpRequest request, Caller caller) {
        RequestSearch.Criteria311 criteria = new RequestSearch.Criteria311(status, department, serviceCode, channel,
                filedBy, from, to, q, limit, cursor, phone, email, district, segment, duplicateOf);
        Criteria scope = RequestAccess.searchScope(caller);
        if (criteria.byCaller() && !caller.has(Role.STAFF)) {
            scope = RequestAccess.personalDataScope(caller).orElseThrow(() -> Problems.forbidden("Searching by a "
                    + "resident's phone or e-mail is for those who may see residents' details."));
        }
        return search.search(criteria, scope)
                .map(page -> {
                    SearchPage body = new SearchPage(page.items().stream().map(RequestSummary::of).toList(),
                            page.next());
                    if (page.next() == null) {
                        return ResponseEntity.ok(body);
                    }
                    String next = UriComponentsBuilder.fromUri(request.getURI()).replaceQueryParam("cursor",
                            page.next()).build().toUriString();
                    return ResponseEntity.ok().header(HttpHeaders.LINK, "<" + next + ">; rel=\"next\"").body(body);
                });
    }

    record SearchPage(List<RequestSummary> items, String next) {
    }

    /**
     * One line of a result list: enough to pick the request and put it on a map, none of the resident's personal
     * data.
     */
    record RequestSummary(String id, RequestStatus status, String serviceCode, String description, Channel channel,
            String segment, String department, String address, Double latitude, Double longitude, String filedBy,
            String duplicateOf,
            Instant submittedAt, Instant updatedAt, Instant firstActionDueAt, Instant resolutionDueAt,
            String district, int reporterCount) {

        static RequestSummary of(ServiceRequest request) {
            return new RequestSummary(request.id(), request.status(), request.serviceCode(), request.description(),
                    request.channel(), request.segment().name().toLowerCase(Locale.ROOT), request.department(),
                    request.location() == null ? null : request.location().address(),
                    request.location() == null ? null : request.location().latitude(),
                    request.location() == null ? null : request.location().longitude(), request.filedBy(),
                    request.duplicateOf(), request.submittedAt(), request.updatedAt(),
                    request.due() == null ? null : request.due().firstActionDueAt(),
                    request.due() == null ? null : request.due().resolutionDueAt(), request.district(),
                    request.reporterCount());
        }
    }

    @GetMapping("/api/requests/{id}")
    Mono<RequestView> request(@PathVariable String id, Caller caller) {
        return mongo.findById(id, ServiceRequest.class)
                .map(found -> RequestView.forCaller(RequestAccess.readable(caller, found), caller))
                .switchIfEmpty(Mono.error(() -> Problems.notFound("No service request " + id + ".")));
    }
}
