package org.city311.feedback.survey;

import java.time.Duration;
import java.util.Optional;

import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * The resident's contact as request-service gives it to feedback-service's own identity
 * ({@code GET /api/requests/{id}/contact}, role {@code survey-sender}): request-service alone holds personal data,
 * and answers 409 until its own timeline shows the request resolved. Asked only when mail is enabled, with a
 * timeout.
 */
class RequestServiceContacts implements ResidentContacts {

    private final WebClient requestService;
    private final ServiceIdentity identity;
    private final Duration timeout;

    RequestServiceContacts(String requestServiceUrl, ServiceIdentity identity, Duration timeout) {
        this.identity = identity;
        this.timeout = timeout;
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                .responseTimeout(timeout);
        this.requestService = WebClient.builder().baseUrl(requestServiceUrl)
                .clientConnector(new ReactorClientHttpConnector(http)).build();
    }

    @Override
    public Optional<String> emailOf(String requestId) {
        JsonNode contact;
        try {
            contact = identity.bearerToken()
                    .flatMap(token -> requestService.get().uri("/api/requests/{id}/contact", requestId)
                            .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                            .accept(MediaType.APPLICATION_JSON)
                            .retrieve()
                            .bodyToMono(JsonNode.class))
                    .block(timeout.multipliedBy(2).plusSeconds(1));
        }
        catch (WebClientResponseException.NotFound unknown) {
            throw new IllegalStateException("request-service does not know request " + requestId, unknown);
        }
        catch (WebClientResponseException refused) {
            String reason = refused.getStatusCode().isSameCodeAs(HttpStatus.CONFLICT)
                    ? "not resolved in request-service yet" : "request-service answered " + refused.getStatusCode();
            throw new NotYetKnown(reason, refused);
        }
        catch (RuntimeException unreachable) {
            throw new NotYetKnown("request-service or the identity provider did not answer ("
                    + unreachable.getClass().getSimpleName() + ")", unreachable);
        }
        if (contact == null || !contact.path("consentToContact").asBoolean(false)) {
            return Optional.empty();
        }
        String email = contact.path("email").asString("").strip();
        return email.isEmpty() || !email.contains("@") ? Optional.empty() : Optional.of(email);
    }
}
