package org.city311.feedback.survey;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.city311.platform.security.SecurityProperties;
import org.city311.platform.test.TestClock;
import org.city311.platform.test.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** feedback-service's own identity: how it gets the token it shows request-service. */
class ServiceIdentityTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void shouldAskTheCitysIdentityProviderWithItsClientCredentialsAndKeepTheTokenWhileItIsValid() throws Exception {
        // given the city's identity provider's token endpoint (a stand-in on this machine)
        List<String> asked = new CopyOnWriteArrayList<>();
        DisposableServer provider = HttpServer.create().host("127.0.0.1").port(0).route(routes -> routes.post(
                "/token", (request, response) -> request.receive().aggregate().asString().flatMap(form -> {
                    asked.add(request.requestHeaders().get("Authorization") + " " + form);
                    return Mono.just(form);
                }).then(response.header("Content-Type", "application/json").sendString(Mono.just(
                        "{\"access_token\":\"issued-token\",\"token_type\":\"Bearer\",\"expires_in\":300}"))
                        .then()))).bindNow();
        try {
            ServiceIdentity identity = SurveyConfiguration.identity(new SurveyProperties.Identity(
                    "http://127.0.0.1:" + provider.port() + "/token", "feedback-service", "s3cret", "city311.surveys",
                    null), security(), Clock.systemUTC());

            // when it needs a token twice
            String first = identity.bearerToken().block(Duration.ofSeconds(10));
            String second = identity.bearerToken().block(Duration.ofSeconds(10));

            // then it asked once, as a confidential client with the client-credentials grant, and kept the token
            assertThat(first).isEqualTo("issued-token").isEqualTo(second);
            assertThat(asked).singleElement().satisfies(call -> assertThat(call)
                    .startsWith("Basic " + Base64.getEncoder().encodeToString("feedback-service:s3cret"
                            .getBytes(StandardCharsets.UTF_8)))
                    .contains("grant_type=client_credentials").contains("scope=city311.surveys"));
        }
        finally {
            provider.disposeNow();
        }
    }

    @Test
    void shouldSignItsOwnShortLivedSurveySenderTokenWithTheLocalKeyInTheLocalRun() throws Exception {
        TestClock clock = new TestClock();
        ServiceIdentity identity = SurveyConfiguration.identity(new SurveyProperties.Identity(null,
                "feedback-service", null, null, TestTokens.privateKeyLocation()), security(), clock);

        String token = identity.bearerToken().block(Duration.ofSeconds(10));
        JsonNode claims = JSON.readTree(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]),
                StandardCharsets.UTF_8));
        assertThat(claims.get("sub").asString()).isEqualTo("feedback-service");
        assertThat(claims.get("roles").toString()).isEqualTo("[\"survey-sender\"]");
        assertThat(claims.get("iss").asString()).isEqualTo("https://login.example");
        assertThat(claims.get("aud").toString()).contains("city311");
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(300);
        // kept for four minutes, then made anew
        assertThat(identity.bearerToken().block(Duration.ofSeconds(10))).isEqualTo(token);
        clock.advance(Duration.ofMinutes(4).plusSeconds(1));
        assertThat(identity.bearerToken().block(Duration.ofSeconds(10))).isNotEqualTo(token);
    }

    @Test
    void shouldRefuseToStartSendingMailWithoutAnIdentity() throws Exception {
        assertThatThrownBy(() -> SurveyConfiguration.identity(new SurveyProperties.Identity(null,
                "feedback-service", null, null, null), security(), Clock.systemUTC()))
                .hasMessageContaining("SERVICE_TOKEN_URI").hasMessageContaining("JWT_PRIVATE_KEY_LOCATION");
    }

    private static SecurityProperties security() {
        return new SecurityProperties(new SecurityProperties.Jwt(null, null, null, "https://login.example",
                "city311"), "roles", "department", "name", List.of(), "team");
    }
}
