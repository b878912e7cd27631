package org.city311.platform.security;

import java.io.IOException;
import java.io.InputStream;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ResourceLoader;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.converter.RsaKeyConverters;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;

/**
 * Every service is an OAuth 2 resource server: a bearer JWT on every API but health, metrics and the paths the
 * service declares public; roles from the token's roles claim; 401 and 403 as problem+json. No sessions, no
 * cookies: each request stands on its own token, so CSRF does not apply.
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.reactive.ReactiveOAuth2ResourceServerWebSecurityAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration" })
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityAutoConfiguration {

    /** Health for the orchestrator, metrics for Prometheus: kept from the outside by the network (deploy files). */
    static final String[] ALWAYS_PUBLIC = { "/actuator/health", "/actuator/health/**", "/actuator/prometheus",
            "/actuator/info", "/error" };

    @Bean
    SecurityProblems securityProblems() {
        return new SecurityProblems();
    }

    @Bean
    @ConditionalOnMissingBean
    SecurityWebFilterChain city311SecurityChain(ServerHttpSecurity http, SecurityProperties properties,
            ObjectProvider<AccessRules> rules, ReactiveJwtDecoder decoder, SecurityProblems problems) {
        // The path rules' authorities come from the same reading of the token as the controllers' Caller, so the
        // two never disagree on who has which role.
        JwtAuthenticationConverter authentication = new JwtAuthenticationConverter();
        authentication.setJwtGrantedAuthoritiesConverter(token -> Caller.of(token, properties).roles().stream()
                .map(role -> (GrantedAuthority) new SimpleGrantedAuthority(role.authority())).toList());
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .headers(Customizer.withDefaults())
                .authorizeExchange(exchanges -> {
                    exchanges.pathMatchers(ALWAYS_PUBLIC).permitAll();
                    properties.publicPaths().forEach(path -> exchanges.pathMatchers(path).permitAll());
                    exchanges.pathMatchers("/actuator/**").hasAnyAuthority(AccessRules.authorities(Role.OPS, Role.ADMIN));
                    rules.orderedStream().forEach(declared -> declared.declare(exchanges));
                    // A valid token is not enough: it must also give one of the people's roles.
                    exchanges.anyExchange().hasAnyAuthority(AccessRules.authorities(Role.PEOPLE));
                })
                .oauth2ResourceServer(server -> server
                        .jwt(jwt -> jwt.jwtDecoder(decoder)
                                .jwtAuthenticationConverter(new ReactiveJwtAuthenticationConverterAdapter(authentication)))
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .exceptionHandling(handling -> handling.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .build();
    }

    /**
     * The issuer's keys (production), a JWKS address, or a public key file (local run, tests), in that order; with
     * any of them, the token's issuer, audience and expiry are checked too, so a token another system's key
     * signed, or one meant for another application of the same provider, is refused. A token that passed is taken
     * as checked until it expires, for five minutes at most ({@link VerifiedTokens}).
     */
    @Bean
    @ConditionalOnMissingBean
    ReactiveJwtDecoder jwtDecoder(SecurityProperties properties, ResourceLoader resources) throws IOException {
        SecurityProperties.Jwt jwt = properties.jwt();
        NimbusReactiveJwtDecoder decoder;
        if (present(jwt.issuerUri())) {
            decoder = NimbusReactiveJwtDecoder.withIssuerLocation(jwt.issuerUri()).build();
        }
        else if (present(jwt.jwkSetUri())) {
            decoder = NimbusReactiveJwtDecoder.withJwkSetUri(jwt.jwkSetUri()).build();
        }
        else if (present(jwt.publicKeyLocation())) {
            try (InputStream pem = resources.getResource(jwt.publicKeyLocation()).getInputStream()) {
                RSAPublicKey key = RsaKeyConverters.x509().convert(pem);
                decoder = NimbusReactiveJwtDecoder.withPublicKey(key).build();
            }
        }
        else {
            throw new IllegalStateException("No way to check bearer tokens: set JWT_ISSUER_URI to your OIDC provider "
                    + "(or JWT_JWK_SET_URI), or JWT_PUBLIC_KEY_LOCATION to an RSA public key (./run.sh makes one)");
        }
        if (!present(jwt.expectedIssuer()) || !present(jwt.audience())) {
            throw new IllegalStateException("Tokens are checked for their issuer and audience: set JWT_ISSUER (or "
                    + "JWT_ISSUER_URI) to the identity provider's issuer and JWT_AUDIENCE to the audience its tokens "
                    + "for this platform carry");
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(List.of(JwtValidators.createDefault(),
                TokenClaims.expiring(), TokenClaims.issuedBy(jwt.expectedIssuer()),
                TokenClaims.meantFor(jwt.audience()))));
        // the machine's clock, as the expiry check's own (a token's times are the provider's, not the services')
        return new VerifiedTokens(decoder, Clock.systemUTC());
    }

    /** The strict firewall Spring Security applies anyway, its header checks quicker ({@link HeaderChecks}). */
    @Bean
    @ConditionalOnMissingBean
    ServerWebExchangeFirewall headerCheckingFirewall() {
        return HeaderChecks.firewall();
    }

    @Bean
    Callers callers(SecurityProperties properties) {
        return new Callers(properties);
    }

    @Bean
    WebFluxConfigurer callerParameters(Callers callers) {
        return new WebFluxConfigurer() {
            @Override
            public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
                configurer.addCustomResolver(new CallerArgumentResolver(callers));
            }
        };
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
