package org.city311.feedback.survey;

import java.time.Duration;
import java.util.Optional;

import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The residents' contact details as request-service's staff API ({@code GET /api/requests/{id}}) gives them:
 * request-service alone holds personal data. Asked only when mail is enabled, with a timeout.
 */
class RequestServiceContacts implements ResidentContacts {

    private final WebClient requestService;
    private final Duration timeout;

    RequestServiceContacts(String requestServiceUrl, Duration timeout) {
        this.timeout = timeout;
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                .responseTimeout(timeout);
        this.requestService = WebClient.builder().baseUrl(requestServiceUrl)
                .clientConnector(new ReactorClientHttpConnector(http)).build();
    }

    @Override
    public Optional<String> emailOf(String requestId) {
        JsonNode request = requestService.get().uri("/api/requests/{id}", requestId)
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .bodyToMono(JsonNode.class)
                .block(timeout.plusSeconds(1));
        JsonNode resident = request == null ? null : request.path("resident");
        if (resident == null || !resident.path("consentToContact").asBoolean(false)) {
            return Optional.empty();
        }
        String email = resident.path("email").asString("").strip();
        return email.isEmpty() || !email.contains("@") ? Optional.empty() : Optional.of(email);
    }
}
