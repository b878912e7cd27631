package org.city311.feedback.survey;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import org.city311.platform.web.RateLimiter;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Protects the public survey addresses from floods, before anything is read or stored: every request to a survey
 * page or response counts against the client's address (the connection's, or the one a trusted proxy forwarded:
 * see the platform's {@code ClientAddressFilter}), and every submission against its survey token. Over the limit:
 * 429 with {@code Retry-After}, as problem+json on the API and as a page on the HTML form.
 */
@Component
class SurveyRateLimitFilter implements WebFilter {

    private static final Pattern PAGE = Pattern.compile("/surveys/([^/]+)/?");
    private static final Pattern API = Pattern.compile("/api/surveys/([^/]+)/responses/?");
    /** Longer keys (a forged header, a forged token) are cut: what is remembered per key stays small. */
    private static final int MAX_KEY = 64;

    private final RateLimiter perAddress;
    private final RateLimiter perToken;

    SurveyRateLimitFilter(SurveyProperties properties) {
        SurveyProperties.RateLimit limit = properties.rateLimit();
        this.perAddress = new RateLimiter(limit.perAddress(), limit.period(), limit.maxTracked(), System::nanoTime);
        this.perToken = new RateLimiter(limit.perToken(), limit.period(), limit.maxTracked(), System::nanoTime);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String path = request.getPath().pathWithinApplication().value();
        Matcher page = PAGE.matcher(path);
        Matcher api = API.matcher(path);
        boolean isPage = page.matches();
        if (!isPage && !api.matches()) {
            return chain.filter(exchange);
        }
        RateLimiter.Decision decision = perAddress.tryAcquire(RateLimiter.clientAddress(request));
        if (decision.allowed() && request.getMethod() == HttpMethod.POST) {
            decision = perToken.tryAcquire(cut(isPage ? page.group(1) : api.group(1)));
        }
        return decision.allowed() ? chain.filter(exchange) : tooMany(exchange.getResponse(), decision, !isPage);
    }

    private static String cut(String key) {
        return key.length() <= MAX_KEY ? key : key.substring(0, MAX_KEY);
    }

    private static Mono<Void> tooMany(ServerHttpResponse response, RateLimiter.Decision decision, boolean api) {
        response.setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
        response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
        String body;
        if (api) {
            response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            body = "{\"type\":\"about:blank\",\"title\":\"Too many requests\",\"status\":429,\"detail\":"
                    + "\"Too many survey requests from this address or for this survey; try again in "
                    + decision.retryAfterSeconds() + " seconds.\"}";
        }
        else {
            response.getHeaders().setContentType(SurveyPage.HTML);
            SurveyPage.secure(response.getHeaders());
            body = SurveyPage.message("Please wait a moment", "We received many answers from your connection in a "
                    + "short time. Please try again in " + decision.retryAfterSeconds() + " seconds.");
        }
        DataBuffer buffer = response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8));
        return response.writeWith(Mono.just(buffer));
    }
}
