package org.city311.console.upstream;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/** feedback-service's staff ideas as the console reads them: submit, follow, review, the ones put into practice. */
@Component
public class Ideas {

    public record Step(String status, Instant at, String byName, String note) {
    }

    /**
     * @param next the statuses a review may move it to (feedback-service's state machine says)
     * @param news for its author: a step they have not seen yet
     */
    public record Idea(String id, String title, String change, String department, String serviceCode,
            String authorName, Instant submittedAt, String status, List<String> next, List<Step> steps,
            Instant updatedAt, long version, Boolean news) {

        public Idea {
            next = next == null ? List.of() : next;
            steps = steps == null ? List.of() : steps;
        }

        public boolean hasNews() {
            return Boolean.TRUE.equals(news);
        }
    }

    public record DepartmentIdeas(String department, long received, long open, long actedOn, long done,
            long declined) {
    }

    public record Summary(long windowDays, List<DepartmentIdeas> departments) {

        public Summary {
            departments = departments == null ? List.of() : departments;
        }
    }

    private static final ParameterizedTypeReference<List<Idea>> IDEAS = new ParameterizedTypeReference<>() {
    };

    /** {@code mine}, {@code department} (with the department, or null for the caller's) or {@code recognised}. */
    public Mono<List<Idea>> list(WebClient feedback, String view, String department) {
        return feedback.get().uri(uri -> {
            uri.path("/api/ideas").queryParam("view", view);
            if (department != null) {
                uri.queryParam("department", department);
            }
            return uri.build();
        }).retrieve().bodyToMono(IDEAS).defaultIfEmpty(List.of());
    }

    public Mono<Idea> submit(WebClient feedback, Map<String, Object> idea) {
        return feedback.post().uri("/api/ideas").contentType(MediaType.APPLICATION_JSON).bodyValue(idea).retrieve()
                .bodyToMono(Idea.class);
    }

    public Mono<Idea> review(WebClient feedback, String id, Map<String, Object> review) {
        return feedback.post().uri("/api/ideas/{id}/review", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(review).retrieve().bodyToMono(Idea.class);
    }

    /** The author looked at their ideas. */
    public Mono<Void> seen(WebClient feedback) {
        return feedback.post().uri("/api/ideas/seen").retrieve().toBodilessEntity().then();
    }

    public Mono<Summary> summary(WebClient feedback) {
        return feedback.get().uri("/api/ideas/summary").retrieve().bodyToMono(Summary.class);
    }
}
