package org.city311.console.upstream;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.client.WebClient;

/** request-service as the console reads it: filing, a request's detail and timeline, searches, tracking. */
@Component
public class Requests {

    public record Location(String address, Double latitude, Double longitude) {
    }

    public record Resident(String firstName, String lastName, String phone, String email, Boolean consentToContact) {

        public String fullName() {
            return ((firstName == null ? "" : firstName) + " " + (lastName == null ? "" : lastName)).strip();
        }
    }

    public record HistoryEntry(String kind, String status, Instant at, String department, String note,
            String visibility) {
    }

    public record Candidate(String id, String description, String status, Instant submittedAt, String address,
            Double distanceMeters) {
    }

    /** A request as staff see it (personal data only when the service lets this person see it). */
    public record Detail(String id, String status, String serviceCode, String description, String channel,
            String segment, String department, String requestingDepartment, String duplicateOf, Location location,
            Resident resident, Map<String, Object> attributes, List<String> mediaUrls, String filedBy,
            Instant submittedAt, Instant updatedAt, List<HistoryEntry> history, List<Candidate> possibleDuplicates,
            Instant firstActionDueAt, Instant resolutionDueAt, Integer reporterCount) {

        public Detail {
            history = history == null ? List.of() : history;
            attributes = attributes == null ? Map.of() : attributes;
            mediaUrls = mediaUrls == null ? List.of() : mediaUrls;
            possibleDuplicates = possibleDuplicates == null ? List.of() : possibleDuplicates;
        }

        public boolean routed() {
            return department != null;
        }
    }

    public record Summary(String id, String status, String serviceCode, String description, String channel,
            String segment, String department, String address, String filedBy, String duplicateOf,
            Instant submittedAt, Instant updatedAt, Double latitude, Double longitude, Instant resolutionDueAt) {
    }

    public record Page(List<Summary> items, String next) {

        public Page {
            items = items == null ? List.of() : items;
        }
    }

    public record AuditChange(Instant at, Instant recordedAt, String kind, String status, String department,
            String by, String note, String visibility) {
    }

    public record AuditTrail(String requestId, String filedBy, List<AuditChange> changes) {

        public AuditTrail {
            changes = changes == null ? List.of() : changes;
        }
    }

    /** What the public may read about a request: no personal data, no internal notes. */
    public record Tracked(String id, String status, String serviceCode, String serviceName, String department,
            String departmentName, Instant submittedAt, Instant updatedAt, List<HistoryEntry> timeline) {

        public Tracked {
            timeline = timeline == null ? List.of() : timeline;
        }
    }

    /** Open requests of a service near a point, nearest first. */
    public record Nearby(List<Candidate> items) {

        public Nearby {
            items = items == null ? List.of() : items;
        }
    }

    /** Files the request; the same key sent twice files once (the service answers the first filing again). */
    public Mono<Detail> file(WebClient request, Map<String, Object> body, String idempotencyKey) {
        return request.post().uri("/api/requests").contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", idempotencyKey).bodyValue(body).retrieve().bodyToMono(Detail.class);
    }

    public Mono<ResponseEntity<Void>> addReporter(WebClient request, String id, Map<String, Object> body,
            String idempotencyKey) {
        return request.post().uri("/api/requests/{id}/reporters", id).contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", idempotencyKey).bodyValue(body).retrieve().toBodilessEntity();
    }

    public Mono<Detail> get(WebClient request, String id) {
        return request.get().uri("/api/requests/{id}", id).retrieve().bodyToMono(Detail.class);
    }

    public Mono<AuditTrail> audit(WebClient request, String id) {
        return request.get().uri("/api/requests/{id}/audit", id).retrieve().bodyToMono(AuditTrail.class);
    }

    public Mono<Page> search(WebClient request, MultiValueMap<String, String> filters) {
        return request.get().uri(uri -> uri.path("/api/requests").queryParams(filters).build()).retrieve()
                .bodyToMono(Page.class);
    }

    public Mono<List<Candidate>> nearby(WebClient request, String serviceCode, double latitude, double longitude) {
        return request.get().uri(uri -> uri.path("/api/requests/nearby").queryParam("serviceCode", serviceCode)
                .queryParam("lat", latitude).queryParam("long", longitude).build()).retrieve()
                .bodyToMono(Nearby.class).map(Nearby::items);
    }

    /** The public read, with the visitor's address forwarded so that each visitor has their own rate limit. */
    public Mono<Tracked> track(WebClient request, String id, String visitorAddress) {
        return request.get().uri("/api/track/{id}", id)
                .headers(headers -> forwardFor(headers, visitorAddress)).retrieve().bodyToMono(Tracked.class);
    }

    private static void forwardFor(HttpHeaders headers, String visitorAddress) {
        if (visitorAddress != null) {
            headers.set("X-Forwarded-For", visitorAddress);
        }
    }
}
