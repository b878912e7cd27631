package org.city311.console.upstream;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/** feedback-service as the console reads it: a request's surveys, a survey link to read out, phone answers. */
@Component
public class Surveys {

    public record Survey(String id, String requestId, String status, String channel, String department,
            String serviceCode, Instant createdAt, Instant expiresAt, Instant deliveredAt, Instant answeredAt,
            String answeredBy, String feedbackId) {

        public boolean open() {
            return answeredAt == null && !"expired".equals(status) && !"answered".equals(status);
        }
    }

    public record Link(String surveyId, String requestId, String url, Instant expiresAt) {

        /** The secret at the end of the link: what answers the survey in the customer's name. */
        public String token() {
            return url.substring(url.lastIndexOf('/') + 1);
        }
    }

    public record FollowUp(String id, String requestId, String department, String serviceCode, String reason,
            String status, Instant openedAt, Instant dueAt, boolean overdue, Instant acknowledgedAt,
            String acknowledgedBy, Instant closedAt, String rootCause, String action, Boolean onTime,
            FeedbackSummary feedback) {
    }

    public record FeedbackSummary(String id, String source, int satisfaction, Boolean resolved, Integer ease,
            String comment, Instant receivedAt) {
    }

    /** The caller's own surveys as an internal request's customer (their department's, or filed by them). */
    public record Mine(List<Survey> surveys, String next) {

        public Mine {
            surveys = surveys == null ? List.of() : surveys;
        }
    }

    public Mono<Mine> mine(WebClient feedback) {
        return feedback.get().uri("/api/surveys?status=open").retrieve().bodyToMono(Mine.class);
    }

    private static final ParameterizedTypeReference<List<Survey>> SURVEYS = new ParameterizedTypeReference<>() {
    };
    private static final ParameterizedTypeReference<List<FollowUp>> FOLLOW_UPS = new ParameterizedTypeReference<>() {
    };

    public Mono<List<Survey>> ofRequest(WebClient feedback, String requestId) {
        return feedback.get().uri(uri -> uri.path("/api/surveys").queryParam("requestId", requestId).build())
                .retrieve().bodyToMono(SURVEYS);
    }

    /** A fresh link (the one sent or read out before stops working). */
    public Mono<Link> link(WebClient feedback, String surveyId) {
        return feedback.post().uri("/api/surveys/{id}/link", surveyId).retrieve().bodyToMono(Link.class);
    }

    /** The customer's answers taken down by phone, in the staff member's name. */
    public Mono<Map<String, Object>> answer(WebClient feedback, String token, Map<String, Object> answers) {
        return feedback.post().uri("/api/surveys/{token}/responses", token).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(answers).retrieve().bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() {
                });
    }

    public Mono<List<FollowUp>> followUps(WebClient feedback, String department) {
        return feedback.get().uri(uri -> {
            uri.path("/api/follow-ups");
            if (department != null) {
                uri.queryParam("department", department);
            }
            return uri.build();
        }).retrieve().bodyToMono(FOLLOW_UPS);
    }

    public Mono<Void> followUpAction(WebClient feedback, String id, String action, Map<String, Object> body) {
        return feedback.post().uri("/api/follow-ups/{id}/{action}", id, action).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).retrieve().toBodilessEntity().then();
    }
}
