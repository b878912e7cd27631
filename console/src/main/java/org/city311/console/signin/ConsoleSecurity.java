package org.city311.console.signin;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import reactor.core.publisher.Mono;

import org.city311.console.ConsoleProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.client.oidc.web.server.logout.OidcClientInitiatedServerLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.server.DefaultServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.server.ServerAuthorizationRequestRepository;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.server.WebSessionOAuth2ServerAuthorizationRequestRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.web.server.DefaultServerRedirectStrategy;
import org.springframework.security.web.server.DelegatingServerAuthenticationEntryPoint;
import org.springframework.security.web.server.DelegatingServerAuthenticationEntryPoint.DelegateEntry;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerRedirectStrategy;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.savedrequest.ServerRequestCache;
import org.springframework.security.web.server.savedrequest.WebSessionServerRequestCache;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;

/**
 * Sign-in and the browser's protections. Staff pages need an OpenID Connect sign-in at the city's identity
 * provider; the department and tracking pages are public. CSRF protection stays on (htmx sends the token in a
 * header, forms in a field), and the Content-Security-Policy allows no inline script and no eval.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurity {

    /** The one sign-in registration: the city's identity provider. */
    static final String SIGN_IN = "city311";

    static final String[] PUBLIC_PAGES = { "/", "/departments", "/departments/**", "/track", "/track/**",
            "/signed-out", "/map/**", "/webjars/**", "/css/**", "/js/**", "/img/**", "/favicon.ico", "/error",
            "/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus" };

    @Bean
    SecurityWebFilterChain consoleSecurityChain(ServerHttpSecurity http,
            ReactiveClientRegistrationRepository registrations, ConsoleProperties properties) {
        for (String registration : new String[] { SIGN_IN, "city311-public" }) {
            String secret = registrations.findByRegistrationId(registration).blockOptional()
                    .map(found -> found.getClientSecret()).orElse("");
            if (secret == null || secret.isBlank()) {
                throw new IllegalStateException("The console's client secrets are not set: CONSOLE_CLIENT_SECRET and "
                        + "CONSOLE_PUBLIC_CLIENT_SECRET, as registered at the identity provider");
            }
        }
        // In memory: the registrations were read (and the provider discovered) at start.
        URI signInAt = URI.create(registrations.findByRegistrationId(SIGN_IN).blockOptional()
                .orElseThrow(() -> new IllegalStateException("No client registration '" + SIGN_IN + "'"))
                .getProviderDetails().getAuthorizationUri());
        OidcClientInitiatedServerLogoutSuccessHandler signedOut =
                new OidcClientInitiatedServerLogoutSuccessHandler(registrations);
        signedOut.setPostLogoutRedirectUri("{baseUrl}/");
        // PKCE for this confidential client too: a stolen authorization code is worth nothing without the verifier.
        DefaultServerOAuth2AuthorizationRequestResolver withPkce =
                new DefaultServerOAuth2AuthorizationRequestResolver(registrations);
        withPkce.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
        return http
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers(PUBLIC_PAGES).permitAll()
                        .anyExchange().authenticated())
                .oauth2Login(login -> login.authorizationRequestResolver(withPkce))
                .oauth2Client(client -> {
                })
                .logout(logout -> logout.logoutSuccessHandler(signedOut))
                .exceptionHandling(handling -> handling.authenticationEntryPoint(signInFirst(withPkce)))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(contentSecurityPolicy(signInAt,
                                properties.map())))
                        .frameOptions(frames -> frames.mode(XFrameOptionsServerHttpHeadersWriter.Mode.DENY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)))
                .build();
    }

    /**
     * A page asked for without a session goes straight to the identity provider's authorization endpoint (the page
     * asked for is remembered to come back to, and the authorization request, with its state and PKCE verifier, is
     * kept in the session as the sign-in's own redirect would). A partial update asked for by htmx cannot follow
     * that redirect across origins: it is told to reload the page instead, which then signs in.
     */
    private static DelegatingServerAuthenticationEntryPoint signInFirst(
            ServerOAuth2AuthorizationRequestResolver resolver) {
        ServerWebExchangeMatcher fromHtmx = exchange -> exchange.getRequest().getHeaders().containsHeader("HX-Request")
                ? ServerWebExchangeMatcher.MatchResult.match()
                : ServerWebExchangeMatcher.MatchResult.notMatch();
        DelegatingServerAuthenticationEntryPoint entryPoint = new DelegatingServerAuthenticationEntryPoint(
                new DelegateEntry(fromHtmx, (exchange, denied) -> {
                    exchange.getResponse().setStatusCode(HttpStatus.UNAUTHORIZED);
                    exchange.getResponse().getHeaders().set("HX-Refresh", "true");
                    return Mono.empty();
                }));
        ServerAuthorizationRequestRepository<OAuth2AuthorizationRequest> requests =
                new WebSessionOAuth2ServerAuthorizationRequestRepository();
        ServerRedirectStrategy redirect = new DefaultServerRedirectStrategy();
        // the page asked for, where the sign-in's success handler (reading the same session attribute) returns to
        ServerRequestCache pageAskedFor = new WebSessionServerRequestCache();
        entryPoint.setDefaultEntryPoint((exchange, denied) -> pageAskedFor.saveRequest(exchange)
                .then(resolver.resolve(exchange, SIGN_IN))
                .flatMap(request -> requests.saveAuthorizationRequest(request, exchange)
                        .then(redirect.sendRedirect(exchange, URI.create(request.getAuthorizationRequestUri())))));
        return entryPoint;
    }

    /** Scripts and styles from the console only; images from it and, when configured, the city's tile server. */
    static String contentSecurityPolicy(URI identityProviderPage, ConsoleProperties.Map map) {
        List<String> images = new ArrayList<>(List.of("'self'", "data:"));
        if (map.tileOrigin() != null) {
            images.add(map.tileOrigin());
        }
        images.addAll(map.connectSources());
        String identityProvider = identityProviderPage.getScheme() + "://" + identityProviderPage.getRawAuthority();
        return String.join("; ",
                "default-src 'self'",
                "script-src 'self'",
                "style-src 'self'",
                "img-src " + String.join(" ", images),
                "connect-src 'self'",
                "font-src 'self'",
                "object-src 'none'",
                "base-uri 'self'",
                "frame-ancestors 'none'",
                // Signing out is a form post that the identity provider's end-session endpoint finishes.
                "form-action 'self' " + identityProvider);
    }
}
