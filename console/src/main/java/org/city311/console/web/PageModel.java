package org.city311.console.web;

import reactor.core.publisher.Mono;

import org.city311.console.ConsoleProperties;
import org.city311.console.quiz.QuizReminder;
import org.city311.console.signin.SignedIn;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;

/**
 * What every page's frame needs: who is signed in (for the navigation), whether their knowledge check is due, the
 * CSRF token, the console's settings.
 */
@ControllerAdvice
class PageModel {

    private final ConsoleProperties properties;
    private final QuizReminder quizReminder;

    PageModel(ConsoleProperties properties, QuizReminder quizReminder) {
        this.properties = properties;
        this.quizReminder = quizReminder;
    }

    @ModelAttribute("me")
    SignedIn me(@AuthenticationPrincipal OidcUser user) {
        return user == null ? null : SignedIn.of(user);
    }

    /** Whether to remind the signed-in person that their knowledge check is due. */
    @ModelAttribute("quizDue")
    Mono<Boolean> quizDue(@AuthenticationPrincipal OidcUser user, ServerWebExchange exchange) {
        return user == null ? Mono.just(false) : quizReminder.due(exchange);
    }

    /**
     * The CSRF token, for the signed-in only: the public pages post nothing, and asking for a token stores it in a
     * session, so every visitor of a department page would hold one in the console's memory.
     */
    @ModelAttribute("csrf")
    Mono<CsrfToken> csrf(@AuthenticationPrincipal OidcUser user, ServerWebExchange exchange) {
        Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
        return user == null || token == null ? Mono.empty() : token;
    }

    @ModelAttribute("console")
    ConsoleProperties console() {
        return properties;
    }

    @ModelAttribute("path")
    String path(ServerWebExchange exchange) {
        return exchange.getRequest().getPath().value();
    }
}
