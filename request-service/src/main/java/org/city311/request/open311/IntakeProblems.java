package org.city311.request.open311;

import java.util.List;
import java.util.Map;

import org.city311.platform.web.Problems.FieldProblem;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.ErrorResponseException;

/**
 * Intake speaks the JSON API's problems, with its own field names; an Open311 client gets the same refusals as an
 * error array naming its own arguments ({@code attributes.size} → {@code attribute[size]}).
 */
final class IntakeProblems {

    private static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("serviceCode", "service_code"),
            Map.entry("description", "description"),
            Map.entry("location", "lat/long"),
            Map.entry("location.address", "address_string"),
            Map.entry("location.latitude", "lat"),
            Map.entry("location.longitude", "long"),
            Map.entry("resident.firstName", "first_name"),
            Map.entry("resident.lastName", "last_name"),
            Map.entry("resident.phone", "phone"),
            Map.entry("resident.email", "email"),
            Map.entry("attributes", "attribute"),
            Map.entry("filedBy", "api_key"));

    private IntakeProblems() {
    }

    static String open311Field(String field) {
        if (field.startsWith("attributes.")) {
            return "attribute[" + field.substring("attributes.".length()) + "]";
        }
        if (field.startsWith("mediaUrls")) {
            return "media_url";
        }
        return FIELDS.getOrDefault(field, field);
    }

    /**
     * Unknown → 404, temporarily unavailable (no catalog yet) → 503 with its Retry-After, anything else the client
     * sent wrong → 400.
     */
    static Open311Exception translate(ErrorResponseException problem) {
        HttpStatusCode code = problem.getStatusCode();
        HttpStatus status = code.value() == 404 ? HttpStatus.NOT_FOUND
                : code.value() == 503 ? HttpStatus.SERVICE_UNAVAILABLE
                : code.is4xxClientError() ? HttpStatus.BAD_REQUEST
                : HttpStatus.INTERNAL_SERVER_ERROR;
        Map<String, Object> properties = problem.getBody().getProperties();
        Object errors = properties == null ? null : properties.get("errors");
        List<String> descriptions = errors instanceof List<?> list && !list.isEmpty()
                ? list.stream().map(each -> each instanceof FieldProblem field
                        ? open311Field(field.field()) + ": " + field.message() : String.valueOf(each)).toList()
                : List.of(String.valueOf(problem.getBody().getDetail()));
        return new Open311Exception(status, descriptions, problem.getHeaders());
    }
}
