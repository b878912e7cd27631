package org.city311.console.upstream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * What a service said when it refused or failed, in words for the person at the screen: the service's own
 * problem detail, and its field errors for the form that was sent.
 *
 * @param status the status the console answers with (the service's, or 503 when it could not be reached)
 */
public record UpstreamProblem(int status, String title, String detail, List<FieldError> fieldErrors) {

    public record FieldError(String field, String message) {
    }

    public static UpstreamProblem of(Throwable failure) {
        if (failure instanceof WebClientResponseException response) {
            Map<String, Object> body = problemBody(response);
            String detail = body.get("detail") instanceof String text ? text : null;
            List<FieldError> fields = new ArrayList<>();
            if (body.get("errors") instanceof List<?> errors) {
                for (Object error : errors) {
                    if (error instanceof Map<?, ?> one) {
                        fields.add(new FieldError(String.valueOf(one.get("field")), String.valueOf(one.get("message"))));
                    }
                }
            }
            return new UpstreamProblem(response.getStatusCode().value(), titleFor(response.getStatusCode()),
                    detail, List.copyOf(fields));
        }
        if (failure instanceof WebClientRequestException || failure instanceof java.util.concurrent.TimeoutException) {
            return new UpstreamProblem(503, "A service is not answering",
                    "The console could not reach one of the city's services. Try again in a minute; if it goes on, "
                            + "tell the operations team.", List.of());
        }
        return new UpstreamProblem(500, "Something went wrong", "The console could not finish this. Try again.",
                List.of());
    }

    /** A refusal because someone else changed the item first: reload and look again. */
    public boolean isConflict() {
        return status == 409 || status == 412;
    }

    private static String titleFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 400, 422 -> "Please check what you entered";
            case 401 -> "Your sign-in has ended";
            case 403 -> "That is not yours to see or change";
            case 404 -> "Not found";
            case 409, 412 -> "Changed by someone else";
            case 429 -> "Too many requests just now";
            default -> status.is5xxServerError() ? "A service failed" : "The service refused this";
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> problemBody(WebClientResponseException response) {
        try {
            Map<String, Object> body = response.getResponseBodyAs(Map.class);
            return body == null ? Map.of() : body;
        }
        catch (RuntimeException notJson) {
            return Map.of();
        }
    }
}
