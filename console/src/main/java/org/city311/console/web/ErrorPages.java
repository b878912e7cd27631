package org.city311.console.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;

import org.city311.console.ConsoleProperties;
import org.city311.console.signin.SignedIn;
import org.city311.console.upstream.Upstream;
import org.city311.console.upstream.UpstreamProblem;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.reactive.function.client.WebClientException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * A service's refusal shown as a page (or, for an htmx update, as a message in place): what happened and what to
 * do, with the service's own explanation. Nothing is retried behind the person's back.
 */
@ControllerAdvice
class ErrorPages {

    private static final Logger log = LoggerFactory.getLogger(ErrorPages.class);

    private final ConsoleProperties console;

    ErrorPages(ConsoleProperties console) {
        this.console = console;
    }

    @ExceptionHandler(WebClientException.class)
    Mono<String> upstream(WebClientException failure, ServerWebExchange exchange, Model model) {
        UpstreamProblem problem = UpstreamProblem.of(failure);
        if (problem.status() >= 500) {
            log.warn("A service call failed: {}", failure.toString());
        }
        return show(problem, exchange, model);
    }

    @ExceptionHandler(java.util.concurrent.TimeoutException.class)
    Mono<String> slow(java.util.concurrent.TimeoutException failure, ServerWebExchange exchange, Model model) {
        log.warn("A service did not answer within {}", Upstream.ANSWER_WITHIN);
        return show(UpstreamProblem.of(failure), exchange, model);
    }

    @ExceptionHandler(ResponseStatusException.class)
    Mono<String> refused(ResponseStatusException failure, ServerWebExchange exchange, Model model) {
        int status = failure.getStatusCode().value();
        String title = status == 404 ? "Not found" : status == 403 ? "That is not yours to see or change"
                : "Please check what you entered";
        return show(new UpstreamProblem(status, title, failure.getReason(), java.util.List.of()), exchange, model);
    }

    private Mono<String> show(UpstreamProblem problem, ServerWebExchange exchange, Model model) {
        exchange.getResponse().setStatusCode(HttpStatus.valueOf(problem.status()));
        model.addAttribute("problem", problem);
        boolean partial = exchange.getRequest().getHeaders().containsHeader("HX-Request");
        String view = partial ? "fragments/problem :: problem" : "problem";
        // The page's frame as on every page (the advice's model attributes do not reach an exception handler); the
        // CSRF token, as there, for the signed-in only: a resident's mistyped number leaves no session behind.
        model.addAttribute("path", exchange.getRequest().getPath().value());
        model.addAttribute("console", console);
        Mono<CsrfToken> csrf = exchange.getAttribute(CsrfToken.class.getName());
        return exchange.getPrincipal().ofType(OAuth2AuthenticationToken.class)
                .filter(token -> token.getPrincipal() instanceof OidcUser)
                .doOnNext(token -> model.addAttribute("me", SignedIn.of((OidcUser) token.getPrincipal())))
                .flatMap(signedIn -> csrf == null ? Mono.empty()
                        : csrf.doOnNext(token -> model.addAttribute("csrf", token)))
                .thenReturn(view);
    }
}
