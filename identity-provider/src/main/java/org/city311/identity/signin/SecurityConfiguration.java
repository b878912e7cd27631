package org.city311.identity.signin;

import java.net.URI;

import org.city311.identity.IdentityProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.session.HttpSessionEventPublisher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String SIGN_IN_PAGE = "/login";

    /**
     * The OAuth 2 and OpenID Connect endpoints: discovery, JWKS, authorize, token, user info, RP-initiated logout
     * ({@code /connect/logout}). A browser that is not signed in is sent to the sign-in page.
     */
    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerChain(HttpSecurity http) throws Exception {
        http.oauth2AuthorizationServer(server -> {
            http.securityMatcher(server.getEndpointsMatcher());
            server.oidc(Customizer.withDefaults());
        });
        return http
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                // the user info endpoint takes the access token this server issued
                .oauth2ResourceServer(resourceServer -> resourceServer.jwt(Customizer.withDefaults()))
                .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint(SIGN_IN_PAGE),
                        new MediaTypeRequestMatcher(MediaType.TEXT_HTML)))
                .build();
    }

    /**
     * The sign-in form, its stylesheet and health; nothing else is served. The page may load nothing but its own
     * stylesheet and run no script; its form posts here, and the redirects that follow a sign-in end at the console
     * (browsers hold a form's whole redirect chain to {@code form-action}).
     */
    @Bean
    @Order(2)
    SecurityFilterChain signInChain(HttpSecurity http, IdentityProperties properties) throws Exception {
        String console = URI.create(properties.consoleUrl()).resolve("/").toString().replaceAll("/$", "");
        return http
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'none'; style-src 'self'; form-action 'self' " + console
                                + "; frame-ancestors 'none'; base-uri 'none'")))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(SIGN_IN_PAGE, "/sign-in.css", "/actuator/health", "/actuator/health/**",
                                "/error")
                        .permitAll()
                        .anyRequest().authenticated())
                .formLogin(form -> form.loginPage(SIGN_IN_PAGE).permitAll())
                .build();
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(IdentityProperties properties) {
        return AuthorizationServerSettings.builder().issuer(properties.issuer()).build();
    }

    /** User passwords and client secrets are kept hashed (bcrypt). */
    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /**
     * Sessions are known by id, so that an ID token names its session ({@code sid}) and a logout ends the one it
     * names.
     */
    @Bean
    SessionRegistry sessionRegistry() {
        return new SessionRegistryImpl();
    }

    @Bean
    HttpSessionEventPublisher httpSessionEventPublisher() {
        return new HttpSessionEventPublisher();
    }
}
