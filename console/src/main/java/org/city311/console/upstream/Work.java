package org.city311.console.upstream;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/** routing-service's department queues and the actions taken on a request's work, as the console uses them. */
@Component
public class Work {

    public record Resolution(String code, String note, Instant at) {
    }

    public record CustomerReport(String client, Instant at) {
    }

    public record Location(String address, Double latitude, Double longitude) {
    }

    public record Item(String requestId, String serviceCode, String department, String status, String rule,
            String agent, int transfers, Instant routedAt, Instant updatedAt, Instant heldSince,
            Instant firstActionDueAt, Instant resolutionDueAt, boolean overdue, boolean dueSoon,
            Resolution resolution, long version, String duplicateOf, CustomerReport customerReportsFixed,
            String description, Location location, Instant firstActionAt) {

        public String address() {
            return location == null ? null : location.address();
        }

        /** Not yet acted on, and its first-action time has come. */
        public boolean firstActionDue(Instant now) {
            return firstActionAt == null && firstActionDueAt != null && "routed".equals(status)
                    && !now.isBefore(firstActionDueAt);
        }
    }

    /**
     * One page of a queue.
     *
     * @param next the cursor of the next page, or null
     * @param etag the queue's version: the same one later means nothing changed
     * @param unchanged true when the queue is the same as the version given
     */
    public record QueuePage(List<Item> items, String next, String etag, boolean unchanged) {
    }

    public record AssignmentResult(String requestId, String result, String detail) {
    }

    /** Where routing-service keeps a request's work and its actions. */
    static final String WORK = "/api/work";

    private static final ParameterizedTypeReference<List<Item>> ITEMS = new ParameterizedTypeReference<>() {
    };

    public Mono<QueuePage> queue(WebClient routing, String department, String view, String after, String etag) {
        return routing.get().uri(uri -> {
            uri.path("/api/departments/{department}/queue").queryParam("view", view).queryParam("limit", 50);
            if (after != null && !after.isBlank()) {
                uri.queryParam("after", after);
            }
            return uri.build(department);
        }).headers(headers -> {
            if (etag != null && !etag.isBlank()) {
                headers.setIfNoneMatch(etag);
            }
        }).exchangeToMono(response -> {
            String version = response.headers().asHttpHeaders().getETag();
            if (response.statusCode().value() == HttpStatus.NOT_MODIFIED.value()) {
                return Mono.just(new QueuePage(List.of(), null, version, true));
            }
            if (response.statusCode().isError()) {
                return response.createError();
            }
            String next = nextCursor(response.headers().asHttpHeaders());
            return response.bodyToMono(ITEMS).defaultIfEmpty(List.of())
                    .map(items -> new QueuePage(items, next, version, false));
        });
    }

    public Mono<Item> item(WebClient routing, String requestId) {
        return routing.get().uri(WORK + "/{id}", requestId).retrieve().bodyToMono(Item.class);
    }

    /** An action on the work, guarded by the version the person saw: someone else's change in between is a 412. */
    public Mono<Item> act(WebClient routing, String requestId, String action, long version, Map<String, Object> body) {
        return routing.post().uri(WORK + "/{id}/{action}", requestId, action).header("If-Match", "\"" + version + "\"")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).retrieve().bodyToMono(Item.class);
    }

    public Mono<List<AssignmentResult>> assign(WebClient routing, String department, String agent,
            List<Map<String, Object>> items) {
        return routing.post().uri("/api/departments/{department}/assignments", department)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("agent", agent == null ? "" : agent,
                        "items", items))
                .retrieve().bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() {
                }).map(Work::results);
    }

    @SuppressWarnings("unchecked")
    private static List<AssignmentResult> results(Map<String, Object> body) {
        Object results = body.get("results");
        if (!(results instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().filter(Map.class::isInstance).map(one -> (Map<String, Object>) one)
                .map(one -> new AssignmentResult(String.valueOf(one.get("requestId")), String.valueOf(one.get("result")),
                        one.get("detail") == null ? null : String.valueOf(one.get("detail"))))
                .toList();
    }

    /** The {@code after} cursor of an RFC 8288 {@code Link: <...after=X...>; rel="next"} header. */
    static String nextCursor(HttpHeaders headers) {
        for (String link : headers.getOrEmpty(HttpHeaders.LINK)) {
            for (String part : link.split(",")) {
                if (part.contains("rel=\"next\"") || part.contains("rel=next")) {
                    String url = part.substring(part.indexOf('<') + 1, part.indexOf('>'));
                    for (String parameter : url.substring(url.indexOf('?') + 1).split("&")) {
                        if (parameter.startsWith("after=")) {
                            return java.net.URLDecoder.decode(parameter.substring("after=".length()),
                                    java.nio.charset.StandardCharsets.UTF_8);
                        }
                    }
                }
            }
        }
        return null;
    }
}
