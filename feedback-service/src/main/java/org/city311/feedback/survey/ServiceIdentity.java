package org.city311.feedback.survey;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

import reactor.core.publisher.Mono;

import org.city311.platform.security.DevTokens;
import org.city311.platform.security.Role;
import org.springframework.security.oauth2.client.AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.InMemoryReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;

/**
 * Who feedback-service is when it calls request-service: a bearer token of its own with the {@code survey-sender}
 * role, which may read a resolved request's contact consent and address and nothing else. No call between the
 * services goes without credentials.
 */
interface ServiceIdentity {

    /** A current access token (not the header): fetched or made when none is held or it is about to end. */
    Mono<String> bearerToken();

    /**
     * Production: an OAuth 2 client-credentials grant at the city's identity provider, where feedback-service is a
     * registered client that the provider gives the {@code survey-sender} role. Spring Security keeps the token
     * and asks for a new one shortly before it ends.
     */
    static ServiceIdentity clientCredentials(String tokenUri, String clientId, String clientSecret, String scope) {
        ClientRegistration.Builder registration = ClientRegistration.withRegistrationId("city311-service")
                .tokenUri(tokenUri)
                .clientId(clientId)
                .clientSecret(clientSecret)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS);
        if (scope != null && !scope.isBlank()) {
            registration.scope(Arrays.asList(scope.trim().split("[\\s,]+")));
        }
        InMemoryReactiveClientRegistrationRepository registrations =
                new InMemoryReactiveClientRegistrationRepository(registration.build());
        AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager manager =
                new AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager(registrations,
                        new InMemoryReactiveOAuth2AuthorizedClientService(registrations));
        manager.setAuthorizedClientProvider(ReactiveOAuth2AuthorizedClientProviderBuilder.builder()
                .clientCredentials().build());
        OAuth2AuthorizeRequest request = OAuth2AuthorizeRequest.withClientRegistrationId("city311-service")
                .principal(clientId).build();
        return () -> manager.authorize(request)
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("the identity provider gave no token")))
                .map(client -> client.getAccessToken().getTokenValue());
    }

    /**
     * The local run: a token signed with the local key, as {@code ./run.sh}'s dev tokens are, for the issuer and
     * audience the services check; made for five minutes and made again a minute before it ends.
     */
    static ServiceIdentity localKey(Path privateKey, String issuer, String audience, Clock clock)
            throws IOException, GeneralSecurityException {
        DevTokens signer = DevTokens.signingWith(privateKey).issuing(issuer, audience);
        Duration life = Duration.ofMinutes(5);
        AtomicReference<Held> held = new AtomicReference<>();
        return () -> Mono.fromSupplier(() -> {
            Instant now = clock.instant();
            Held current = held.get();
            if (current == null || now.isAfter(current.renewAt())) {
                current = new Held(signer.mint("feedback-service", "feedback-service", null, life,
                        Role.SURVEY_SENDER), now.plus(life).minus(Duration.ofMinutes(1)));
                held.set(current);
            }
            return current.token();
        });
    }

    record Held(String token, Instant renewAt) {
    }
}
