package org.city311.feedback.survey;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The look-up of a resident's address in request-service's contact endpoint, under feedback-service's own
 * identity, against a stand-in on the loopback.
 */
class RequestServiceContactsTests {

    private static final ServiceIdentity IDENTITY = () -> Mono.just("service-token");

    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private DisposableServer requestService;

    @AfterEach
    void stop() {
        if (requestService != null) {
            requestService.disposeNow();
        }
    }

    @Test
    void shouldGiveTheAddressOfAResidentWhoConsentedAskingWithItsOwnToken() {
        RequestServiceContacts contacts = answering(Map.of(
                "/api/requests/311-1/contact", "{\"requestId\":\"311-1\",\"consentToContact\":true,"
                        + "\"email\":\"a@example.org\"}",
                "/api/requests/311-2/contact", "{\"requestId\":\"311-2\",\"consentToContact\":false}",
                "/api/requests/311-4/contact", "{\"requestId\":\"311-4\",\"consentToContact\":true}"),
                Duration.ZERO);

        assertThat(contacts.emailsOf("311-1")).containsExactly("a@example.org");
        assertThat(contacts.emailsOf("311-2")).isEmpty();
        assertThat(contacts.emailsOf("311-4")).isEmpty();
        assertThat(authorizations).hasSize(3).containsOnly("Bearer service-token");
    }

    @Test
    void shouldAddTheCallersAddedToTheRequestWhoConsentedEachAddressOnce() {
        RequestServiceContacts contacts = answering(Map.of(
                "/api/requests/311-1/contact", "{\"requestId\":\"311-1\",\"consentToContact\":true,"
                        + "\"email\":\"a@example.org\",\"additionalRecipients\":[\"b@example.org\","
                        + "\"A@example.org\",\"not an address\"]}",
                "/api/requests/311-2/contact", "{\"requestId\":\"311-2\",\"consentToContact\":false,"
                        + "\"additionalRecipients\":[\"c@example.org\"]}"),
                Duration.ZERO);

        assertThat(contacts.emailsOf("311-1")).containsExactly("a@example.org", "b@example.org");
        // the resident did not consent, a caller added later did: they are asked
        assertThat(contacts.emailsOf("311-2")).containsExactly("c@example.org");
    }

    @Test
    void shouldSayAskAgainWhileTheRequestIsNotResolvedThereOrRequestServiceIsSlow() {
        RequestServiceContacts contacts = answering(Map.of("/api/requests/311-1/contact", "409",
                "/api/requests/311-2/contact", "503"), Duration.ZERO);
        assertThatThrownBy(() -> contacts.emailsOf("311-1")).isInstanceOf(ResidentContacts.NotYetKnown.class)
                .hasMessageContaining("not resolved in request-service yet");
        assertThatThrownBy(() -> contacts.emailsOf("311-2")).isInstanceOf(ResidentContacts.NotYetKnown.class)
                .hasMessageContaining("503");

        RequestServiceContacts slow = answering(Map.of("/api/requests/311-1/contact", "{}"), Duration.ofSeconds(3));
        assertThatThrownBy(() -> slow.emailsOf("311-1")).isInstanceOf(ResidentContacts.NotYetKnown.class);
    }

    @Test
    void shouldGiveUpAtOnceOnARequestThatRequestServiceDoesNotKnow() {
        RequestServiceContacts contacts = answering(Map.of(), Duration.ZERO);

        assertThatThrownBy(() -> contacts.emailsOf("311-unknown")).isInstanceOf(IllegalStateException.class)
                .isNotInstanceOf(ResidentContacts.NotYetKnown.class);
    }

    /** Answers a body, or a bare status for a body of three digits; 404 for any other path. */
    private RequestServiceContacts answering(Map<String, String> bodies, Duration delay) {
        requestService = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> {
                    authorizations.add(request.requestHeaders().get("Authorization"));
                    String body = bodies.get(request.path().startsWith("/") ? request.path() : "/" + request.path());
                    if (body == null) {
                        return response.status(404).send();
                    }
                    if (body.matches("\\d{3}")) {
                        return response.status(Integer.parseInt(body)).send();
                    }
                    return Mono.delay(delay).then(response.header("Content-Type", "application/json")
                            .sendString(Mono.just(body)).then());
                })
                .bindNow();
        return new RequestServiceContacts("http://127.0.0.1:" + requestService.port(), IDENTITY,
                Duration.ofMillis(500));
    }
}
