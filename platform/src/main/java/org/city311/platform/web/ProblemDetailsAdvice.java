package org.city311.platform.web;

import java.util.List;

import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.city311.platform.domain.DomainException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;

/**
 * Every error of the JSON APIs as RFC 9457 problem+json; validation failures list each field at fault under
 * {@code errors}, so that staff tools can point at the input to correct. Unexpected failures are logged with
 * their cause and answered without internals.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);
    private static final long RETRY_AFTER_SECONDS = 5;

    @Override
    protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(WebExchangeBindException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "The request has invalid fields.");
        body.setTitle("Invalid request");
        List<Problems.FieldProblem> errors = ex.getFieldErrors().stream()
                .map(error -> new Problems.FieldProblem(error.getField(), error.getDefaultMessage()))
                .toList();
        body.setProperty("errors", errors);
        return handleExceptionInternal(ex, body, headers, HttpStatus.BAD_REQUEST, exchange);
    }

    /** A business rule's refusal, as the problem {@link Problems} would have made of it. */
    @ExceptionHandler(DomainException.class)
    Mono<ResponseEntity<Object>> handleRefusal(DomainException refusal, ServerWebExchange exchange) {
        return handleException(problem(refusal), exchange);
    }

    /** The problem+json of a business rule's refusal: its kind's status and title, its detail, the field at fault. */
    private static ErrorResponseException problem(DomainException refusal) {
        return switch (refusal.kind()) {
            case NOT_FOUND -> Problems.notFound(refusal.detail());
            case FORBIDDEN -> Problems.forbidden(refusal.detail());
            case CONFLICT -> Problems.conflict(refusal.detail());
            case STALE_VERSION -> Problems.of(HttpStatus.PRECONDITION_FAILED, "Changed meanwhile", refusal.detail());
            case INVALID -> Problems.invalid(refusal.field(), refusal.detail());
        };
    }

    @ExceptionHandler(Exception.class)
    Mono<ResponseEntity<Object>> handleUnexpected(Exception ex, ServerWebExchange exchange) {
        if (storeUnreachable(ex)) {
            // the store did not answer (down, failing over, or stalled past the driver's timeouts): a moment's
            // trouble the caller should retry, not a fault of this request
            log.warn("Store unreachable on {} {}: {}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(), ex.toString());
            ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                    "The database did not answer in time; nothing was changed unless a later read shows it. Try again"
                            + " in a few seconds (with the same Idempotency-Key, if you sent one).");
            body.setTitle("Store unavailable");
            return Mono.just(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER_SECONDS)).body(body));
        }
        log.error("Unexpected failure on {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex);
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "The request could not be completed; nothing was changed unless a later read shows it.");
        body.setTitle("Internal error");
        return Mono.just(ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(body));
    }

    /** Whether the failure is the store not answering (no connection, a timeout, a pool cleared after one). */
    static boolean storeUnreachable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof MongoSocketException || cause instanceof MongoTimeoutException
                    || cause instanceof MongoConnectionPoolClearedException) {
                return true;
            }
        }
        return false;
    }
}
