package org.city311.feedback.survey;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The look-up of a resident's address in request-service's staff API, against a stand-in on the loopback. */
class RequestServiceContactsTests {

    private DisposableServer requestService;

    @AfterEach
    void stop() {
        if (requestService != null) {
            requestService.disposeNow();
        }
    }

    @Test
    void shouldGiveTheAddressOfAResidentWhoConsented() {
        RequestServiceContacts contacts = answering(Map.of(
                "/api/requests/311-1", "{\"id\":\"311-1\",\"resident\":{\"email\":\"a@example.org\","
                        + "\"consentToContact\":true}}",
                "/api/requests/311-2", "{\"id\":\"311-2\",\"resident\":{\"email\":\"b@example.org\","
                        + "\"consentToContact\":false}}",
                "/api/requests/311-3", "{\"id\":\"311-3\",\"resident\":null}",
                "/api/requests/311-4", "{\"id\":\"311-4\",\"resident\":{\"phone\":\"555-0100\","
                        + "\"consentToContact\":true}}"), Duration.ZERO);

        assertThat(contacts.emailOf("311-1")).contains("a@example.org");
        assertThat(contacts.emailOf("311-2")).isEmpty();
        assertThat(contacts.emailOf("311-3")).isEmpty();
        assertThat(contacts.emailOf("311-4")).isEmpty();
    }

    @Test
    void shouldFailWhenRequestServiceIsTooSlowOrRefuses() {
        RequestServiceContacts slow = answering(Map.of("/api/requests/311-1", "{}"), Duration.ofSeconds(3));

        assertThatThrownBy(() -> slow.emailOf("311-1")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> slow.emailOf("311-unknown")).isInstanceOf(RuntimeException.class);
    }

    private RequestServiceContacts answering(Map<String, String> bodies, Duration delay) {
        requestService = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> {
                    String body = bodies.get(request.path().startsWith("/") ? request.path() : "/" + request.path());
                    if (body == null) {
                        return response.status(404).send();
                    }
                    return Mono.delay(delay).then(response.header("Content-Type", "application/json")
                            .sendString(Mono.just(body)).then());
                })
                .bindNow();
        return new RequestServiceContacts("http://127.0.0.1:" + requestService.port(), Duration.ofMillis(500));
    }
}
