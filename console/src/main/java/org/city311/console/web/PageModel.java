package org.city311.console.web;

import reactor.core.publisher.Mono;

import org.city311.console.ConsoleProperties;
import org.city311.console.signin.SignedIn;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;

/** What every page's frame needs: who is signed in (for the navigation), the CSRF token, the console's settings. */
@ControllerAdvice
class PageModel {

    private final ConsoleProperties properties;

    PageModel(ConsoleProperties properties) {
        this.properties = properties;
    }

    @ModelAttribute("me")
    SignedIn me(@AuthenticationPrincipal OidcUser user) {
        return user == null ? null : SignedIn.of(user);
    }

    @ModelAttribute("csrf")
    Mono<CsrfToken> csrf(ServerWebExchange exchange) {
        Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
        return token == null ? Mono.empty() : token;
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
