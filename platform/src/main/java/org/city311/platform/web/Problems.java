package org.city311.platform.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** RFC 9457 problems that handlers throw; {@link ProblemDetailsAdvice} renders them as problem+json. */
public final class Problems {

    private Problems() {
    }

    public static ErrorResponseException notFound(String detail) {
        return of(HttpStatus.NOT_FOUND, "Not found", detail);
    }

    /** The caller is known, but this request is not theirs to see or change (another department's work). */
    public static ErrorResponseException forbidden(String detail) {
        return of(HttpStatus.FORBIDDEN, "Forbidden", detail);
    }

    public static ErrorResponseException conflict(String detail) {
        return of(HttpStatus.CONFLICT, "Conflict", detail);
    }

    /** A request that is well-formed but names something that cannot be used, such as an unknown service. */
    public static ErrorResponseException invalid(String field, String detail) {
        ErrorResponseException problem = of(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid request", detail);
        problem.getBody().setProperty("errors", java.util.List.of(new FieldProblem(field, detail)));
        return problem;
    }

    /** Several fields at fault at once, so staff can correct them all in one go. */
    public static ErrorResponseException invalid(java.util.List<FieldProblem> errors) {
        return withErrors(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid request", errors);
    }

    /** Malformed parameters (a query string, a header), each named. */
    public static ErrorResponseException badRequest(java.util.List<FieldProblem> errors) {
        return withErrors(HttpStatus.BAD_REQUEST, "Invalid parameters", errors);
    }

    private static ErrorResponseException withErrors(HttpStatus status, String title,
            java.util.List<FieldProblem> errors) {
        ErrorResponseException problem = of(status, title,
                errors.size() == 1 ? errors.get(0).message() : "The request has " + errors.size() + " invalid fields.");
        problem.getBody().setProperty("errors", java.util.List.copyOf(errors));
        return problem;
    }

    public static ErrorResponseException of(HttpStatus status, String title, String detail) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setTitle(title);
        return new ErrorResponseException(status, body, null);
    }

    /** One field at fault, as listed in a problem's {@code errors} member. */
    public record FieldProblem(String field, String message) {
    }
}
