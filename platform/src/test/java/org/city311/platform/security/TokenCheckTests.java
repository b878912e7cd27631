package org.city311.platform.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;

import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Whatever the key source (an OIDC issuer's discovery document, a JWK set address, a public key file), a token is
 * taken only when it names the expected issuer and audience and has an expiry, and each refusal says why.
 */
class TokenCheckTests {

    private static final DevTokens KEY = DevTokens.generate();
    private static DisposableServer provider;
    private static String issuer;
    private static Path publicKey;

    /** A stand-in identity provider on this machine: its discovery document and its keys. */
    @BeforeAll
    static void startProvider() throws IOException {
        provider = HttpServer.create().host("127.0.0.1").port(0).route(routes -> routes
                .get("/.well-known/openid-configuration", (request, response) -> response
                        .header("Content-Type", "application/json")
                        .sendString(Mono.just("{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer
                                + "/keys\",\"subject_types_supported\":[\"public\"]}")))
                .get("/keys", (request, response) -> response.header("Content-Type", "application/json")
                        .sendString(Mono.just(KEY.jwkSet()))))
                .bindNow();
        issuer = "http://127.0.0.1:" + provider.port();
        publicKey = Files.createTempFile("city311-token-check", ".pem");
        KEY.writePublicKey(publicKey);
    }

    @AfterAll
    static void stopProvider() throws IOException {
        provider.disposeNow();
        Files.deleteIfExists(publicKey);
    }

    @ParameterizedTest
    @ValueSource(strings = { "issuer-uri", "jwk-set-uri", "public-key-location" })
    void shouldTakeOnlyTokensOfTheIssuerForTheAudienceWithAnExpiry(String source) throws IOException {
        ReactiveJwtDecoder decoder = decoder(source);

        assertThat(decode(decoder, claims -> claims)).extracting(Jwt::getSubject).isEqualTo("staff.test");
        assertRefused(decoder, claims -> claims.issuer("https://login.other.example"),
                "The token was issued by 'https://login.other.example', not by '" + issuer + "' (iss)");
        assertRefused(decoder, claims -> claims.audience("another-app"),
                "The token is not meant for 'city311' (aud: [another-app])");
        assertRefused(decoder, claims -> claims.audience((String) null), "The token is not meant for 'city311'");
        assertRefused(decoder, claims -> claims.expirationTime(null), "The token has no expiry (exp)");
        assertRefused(decoder, claims -> claims.issueTime(Date.from(Instant.now().minus(Duration.ofHours(2))))
                .expirationTime(Date.from(Instant.now().minus(Duration.ofMinutes(5)))), "Jwt expired at");
    }

    @Test
    void shouldRefuseToStartWithoutAnIssuerOrAnAudienceToCheck() {
        assertThatThrownBy(() -> new SecurityAutoConfiguration().jwtDecoder(properties(null, null,
                publicKey.toUri().toString(), null, "city311"), new DefaultResourceLoader()))
                .hasMessageContaining("JWT_ISSUER");
        assertThatThrownBy(() -> new SecurityAutoConfiguration().jwtDecoder(properties(null, null,
                publicKey.toUri().toString(), issuer, " "), new DefaultResourceLoader()))
                .hasMessageContaining("JWT_AUDIENCE");
    }

    private static ReactiveJwtDecoder decoder(String source) throws IOException {
        SecurityProperties properties = switch (source) {
            // with an issuer URI, the issuer to check is that one
            case "issuer-uri" -> properties(issuer, null, null, null, "city311");
            case "jwk-set-uri" -> properties(null, issuer + "/keys", null, issuer, "city311");
            default -> properties(null, null, publicKey.toUri().toString(), issuer, "city311");
        };
        return new SecurityAutoConfiguration().jwtDecoder(properties, new DefaultResourceLoader());
    }

    private static SecurityProperties properties(String issuerUri, String jwkSetUri, String publicKeyLocation,
            String expectedIssuer, String audience) {
        return new SecurityProperties(new SecurityProperties.Jwt(issuerUri, jwkSetUri, publicKeyLocation,
                expectedIssuer, audience), "roles", "department", "name", List.of(), "team");
    }

    private static Jwt decode(ReactiveJwtDecoder decoder, UnaryOperator<JWTClaimsSet.Builder> change) {
        String token = KEY.sign(change.apply(KEY.issuing(issuer, "city311").claims("staff.test", "Staff", null,
                Duration.ofHours(1), Role.STAFF)).build());
        return decoder.decode(token).block(Duration.ofSeconds(10));
    }

    private static void assertRefused(ReactiveJwtDecoder decoder, UnaryOperator<JWTClaimsSet.Builder> change,
            String reason) {
        assertThatThrownBy(() -> decode(decoder, change)).isInstanceOf(JwtValidationException.class)
                .satisfies(refused -> assertThat(((JwtValidationException) refused).getErrors())
                        .anySatisfy(error -> assertThat(error.getDescription()).startsWith(reason)));
    }
}
