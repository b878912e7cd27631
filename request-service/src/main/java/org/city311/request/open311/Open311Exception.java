package org.city311.request.open311;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * An Open311 refusal: the HTTP status and the errors of the error array, each naming what is wrong. The spec's
 * codes: 404 for an unknown service_code, service_request_id, token or jurisdiction_id; 403 for the api_key; 400
 * for everything else a client sent wrong.
 */
class Open311Exception extends RuntimeException {

    private final HttpStatus status;
    private final List<String> descriptions;
    private final transient HttpHeaders headers;

    Open311Exception(HttpStatus status, List<String> descriptions) {
        this(status, descriptions, HttpHeaders.EMPTY);
    }

    /** @param headers to answer with, such as a 503's Retry-After */
    Open311Exception(HttpStatus status, List<String> descriptions, HttpHeaders headers) {
        super(String.join("; ", descriptions), null, false, false);
        this.status = status;
        this.descriptions = List.copyOf(descriptions);
        this.headers = headers;
    }

    static Open311Exception badRequest(String description) {
        return new Open311Exception(HttpStatus.BAD_REQUEST, List.of(description));
    }

    static Open311Exception badRequest(List<String> descriptions) {
        return new Open311Exception(HttpStatus.BAD_REQUEST, descriptions);
    }

    static Open311Exception notFound(String description) {
        return new Open311Exception(HttpStatus.NOT_FOUND, List.of(description));
    }

    static Open311Exception forbidden(String description) {
        return new Open311Exception(HttpStatus.FORBIDDEN, List.of(description));
    }

    HttpHeaders headers() {
        return headers;
    }

    HttpStatus status() {
        return status;
    }

    List<String> descriptions() {
        return descriptions;
    }

    /** The error array: {@code <errors><error><code>…</code><description>…</description></error></errors>}. */
    Node body() {
        return Node.items("errors", descriptions.stream()
                .map(description -> Node.group("error", Node.field("code", status.value()),
                        Node.field("description", description)))
                .toList());
    }
}
