package org.city311.console.upstream;

import java.net.URI;
import java.time.Duration;

import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;

import org.city311.console.ConsoleProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.InMemoryReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.reactive.function.client.ServerOAuth2AuthorizedClientExchangeFilterFunction;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizedClientRepository;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * How the console reaches the services. Staff pages call them as the signed-in person: the access token of their
 * sign-in goes along (renewed with the refresh token when it runs out), so the services apply that person's role,
 * department and personal-data rules. Public pages call them as the console itself, with a client-credentials
 * token whose only role, {@code public-reader}, reads what any resident may see.
 */
@Configuration(proxyBeanMethods = false)
public class Upstream {

    /** The registration of the console's own identity, for the public pages. */
    static final String PUBLIC_IDENTITY = "city311-public";

    public enum Service { REQUEST, ROUTING, FEEDBACK, METRICS }

    /** The services, called with the signed-in person's token. */
    public record AsUser(WebClient request, WebClient routing, WebClient feedback, WebClient metrics) {

        public WebClient to(Service service) {
            return switch (service) {
                case REQUEST -> request;
                case ROUTING -> routing;
                case FEEDBACK -> feedback;
                case METRICS -> metrics;
            };
        }
    }

    /** The services, called as the console itself: public reads only. */
    public record AsConsole(WebClient request, WebClient routing, WebClient metrics) {
    }

    @Bean
    AsUser asUser(WebClient.Builder builder, ReactiveClientRegistrationRepository registrations,
            ServerOAuth2AuthorizedClientRepository authorizedClients, ConsoleProperties properties) {
        DefaultReactiveOAuth2AuthorizedClientManager manager = new DefaultReactiveOAuth2AuthorizedClientManager(
                registrations, authorizedClients);
        manager.setAuthorizedClientProvider(ReactiveOAuth2AuthorizedClientProviderBuilder.builder()
                .authorizationCode().refreshToken().build());
        ServerOAuth2AuthorizedClientExchangeFilterFunction relay =
                new ServerOAuth2AuthorizedClientExchangeFilterFunction(manager);
        relay.setDefaultClientRegistrationId("city311");
        WebClient.Builder withToken = builder.clone().filter(relay);
        ConsoleProperties.Services at = properties.services();
        return new AsUser(client(withToken, at.request()), client(withToken, at.routing()),
                client(withToken, at.feedback()), client(withToken, at.metrics()));
    }

    @Bean
    AsConsole asConsole(WebClient.Builder builder, ReactiveClientRegistrationRepository registrations,
            ConsoleProperties properties) {
        ReactiveOAuth2AuthorizedClientManager manager = new AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager(
                registrations, new InMemoryReactiveOAuth2AuthorizedClientService(registrations));
        ServerOAuth2AuthorizedClientExchangeFilterFunction identity =
                new ServerOAuth2AuthorizedClientExchangeFilterFunction(manager);
        identity.setDefaultClientRegistrationId(PUBLIC_IDENTITY);
        WebClient.Builder withToken = builder.clone().filter(identity);
        ConsoleProperties.Services at = properties.services();
        return new AsConsole(client(withToken, at.request()), client(withToken, at.routing()),
                client(withToken, at.metrics()));
    }

    /**
     * A page waits at most this long for a service: then it says the service is not answering instead of
     * hanging. Live streams are not bound by it (they wait for changes by design).
     */
    public static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

    /**
     * Whether a call failed because the service refused, failed or did not answer in time ({@link #ANSWER_WITHIN}):
     * for the parts of a page that open without it.
     */
    public static boolean unavailable(Throwable failure) {
        return failure instanceof org.springframework.web.reactive.function.client.WebClientException
                || failure instanceof java.util.concurrent.TimeoutException;
    }

    private static WebClient client(WebClient.Builder builder, URI base) {
        HttpClient http = HttpClient.create().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3000);
        return builder.clone().baseUrl(base.toString()).clientConnector(new ReactorClientHttpConnector(http))
                .filter((request, next) -> request.url().getPath().endsWith("/events") ? next.exchange(request)
                        : next.exchange(request).timeout(ANSWER_WITHIN))
                .build();
    }
}
