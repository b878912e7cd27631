package org.city311.feedback.survey;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

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
 * timeout. Its {@code email} is the resident's (given only with their consent), its {@code additionalRecipients}
 * those of the callers added to the request who consented.
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
    public List<String> emailsOf(String requestId) {
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
        if (contact == null) {
            return List.of();
        }
        Set<String> seen = new LinkedHashSet<>();
        List<String> addresses = new java.util.ArrayList<>();
        if (contact.path("consentToContact").asBoolean(false)) {
            add(contact.path("email"), seen, addresses);
        }
        // each of these consented, or request-service would not list it
        contact.path("additionalRecipients").forEach(address -> add(address, seen, addresses));
        return List.copyOf(addresses);
    }

    private static void add(JsonNode address, Set<String> seen, List<String> addresses) {
        String email = address.isString() ? address.asString().strip() : "";
        if (!email.isEmpty() && email.contains("@") && seen.add(email.toLowerCase(Locale.ROOT))) {
            addresses.add(email);
        }
    }
}
