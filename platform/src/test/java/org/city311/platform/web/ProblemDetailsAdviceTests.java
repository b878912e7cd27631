package org.city311.platform.web;

import com.mongodb.MongoSocketReadTimeoutException;
import com.mongodb.ServerAddress;
import org.junit.jupiter.api.Test;

import org.city311.platform.domain.DomainException;
import org.springframework.data.mongodb.UncategorizedMongoDbException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/** What a caller is told when a business rule refused the call, or something other than its input went wrong. */
class ProblemDetailsAdviceTests {

    private final ProblemDetailsAdvice advice = new ProblemDetailsAdvice();
    private final MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/api/requests"));

    @Test
    void shouldAskTheCallerToTryAgainWhenTheStoreDidNotAnswer() {
        // the driver's failure when the store stalled past its timeouts, as Spring Data hands it on
        Exception stalled = new UncategorizedMongoDbException("Connection pool is paused because another operation failed",
                new MongoSocketReadTimeoutException("Timeout while receiving message", new ServerAddress(),
                        new RuntimeException("read timed out")));

        ResponseEntity<Object> answer = advice.handleUnexpected(stalled, exchange).block();

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
        ProblemDetail body = (ProblemDetail) answer.getBody();
        assertThat(body.getTitle()).isEqualTo("Store unavailable");
        assertThat(body.getDetail()).contains("Try again", "Idempotency-Key");
    }

    @Test
    void shouldAnswerAnyOtherFailureAsAnInternalErrorWithoutItsInternals() {
        ResponseEntity<Object> answer = advice.handleUnexpected(new IllegalStateException("secret internals"),
                exchange).block();

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(((ProblemDetail) answer.getBody()).getDetail()).doesNotContain("secret");
    }

    @Test
    void shouldAnswerEachKindOfBusinessRefusalWithItsStatusTitleAndDetail() {
        assertRefusal(DomainException.notFound("No work for request 311-00000042."), HttpStatus.NOT_FOUND,
                "Not found");
        assertRefusal(DomainException.forbidden("Request 311-00000042 is routed to parks, not to your department."),
                HttpStatus.FORBIDDEN, "Forbidden");
        assertRefusal(DomainException.conflict("Request 311-00000042 is closed."), HttpStatus.CONFLICT, "Conflict");
        assertRefusal(DomainException.staleVersion("Request 311-00000042 is at version 4, not 3."),
                HttpStatus.PRECONDITION_FAILED, "Changed meanwhile");

        ProblemDetail invalid = assertRefusal(DomainException.invalid("toDepartment", "no department fire"),
                HttpStatus.UNPROCESSABLE_CONTENT, "Invalid request");
        assertThat(invalid.getProperties()).containsEntry("errors",
                java.util.List.of(new Problems.FieldProblem("toDepartment", "no department fire")));
    }

    private ProblemDetail assertRefusal(DomainException refusal, HttpStatus status, String title) {
        ResponseEntity<Object> answer = advice.handleRefusal(refusal, exchange).block();

        assertThat(answer.getStatusCode()).isEqualTo(status);
        ProblemDetail body = (ProblemDetail) answer.getBody();
        assertThat(body.getTitle()).isEqualTo(title);
        assertThat(body.getDetail()).isEqualTo(refusal.detail());
        return body;
    }
}
