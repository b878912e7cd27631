package org.city311.console.signin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the browser is protected by and where a visitor without a session goes. The identity provider's endpoints
 * come from a small discovery document served here, so the console starts without a real provider.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.security.oauth2.client.registration.city311.client-secret=test-secret",
        "spring.security.oauth2.client.registration.city311-public.client-secret=test-secret",
        // no service answers: every page that asks one shows the console's error page
        "console.services.request=http://127.0.0.1:9", "console.services.routing=http://127.0.0.1:9",
        "console.services.feedback=http://127.0.0.1:9", "console.services.metrics=http://127.0.0.1:9" })
@AutoConfigureWebTestClient
class ConsoleSecurityIntegrationTests {

    /** Answers the console's OpenID discovery at start: the provider whose sign-in page visitors are sent to. */
    static final HttpServer DISCOVERY = discovery();

    @DynamicPropertySource
    static void identityProvider(DynamicPropertyRegistry properties) {
        properties.add("spring.security.oauth2.client.provider.city311.issuer-uri", ConsoleSecurityIntegrationTests::issuer);
    }

    static String issuer() {
        return "http://127.0.0.1:" + DISCOVERY.getAddress().getPort();
    }

    static HttpServer discovery() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/.well-known/openid-configuration", exchange -> {
                String issuer = issuer();
                byte[] body = ("{\"issuer\":\"" + issuer + "\",\"authorization_endpoint\":\"" + issuer
                        + "/oauth2/authorize\",\"token_endpoint\":\"" + issuer + "/oauth2/token\",\"jwks_uri\":\""
                        + issuer + "/oauth2/jwks\",\"userinfo_endpoint\":\"" + issuer + "/userinfo\","
                        + "\"end_session_endpoint\":\"" + issuer + "/connect/logout\","
                        + "\"response_types_supported\":[\"code\"],\"subject_types_supported\":[\"public\"],"
                        + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            // the console's own client-credentials token, for its public pages
            server.createContext("/oauth2/token", exchange -> {
                byte[] body = "{\"access_token\":\"public-reader\",\"token_type\":\"Bearer\",\"expires_in\":300}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopDiscovery() {
        DISCOVERY.stop(0);
    }

    @Autowired
    WebTestClient web;

    @Test
    void shouldSendAStaffPageVisitorWithoutASessionToTheIdentityProvidersSignIn() {
        // given no session; when a call-taker opens the queue
        String provider = web.get().uri("/queue").accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isFound().returnResult(Void.class).getResponseHeaders().getLocation().toString();
        // then the console sends them straight to the provider's authorization endpoint, with PKCE
        assertThat(provider).startsWith(issuer() + "/oauth2/authorize?")
                .contains("response_type=code", "client_id=city311-console", "scope=openid%20profile",
                        "redirect_uri=", "code_challenge=", "code_challenge_method=S256");
    }

    @Test
    void shouldTellHtmxToReloadInsteadOfFollowingTheSignInRedirect() {
        // given a page left open until its session ended; when htmx asks for a part of it
        web.get().uri("/queue/items?department=parks").header("HX-Request", "true").exchange()
                // then it is told to reload the page (which signs in), not sent across origins
                .expectStatus().isUnauthorized().expectHeader().valueEquals("HX-Refresh", "true");
    }

    @Test
    void shouldKeepTheSessionCookieFromScriptsAndOtherSites() {
        // when a visit starts a session (the page asked for is remembered for after sign-in)
        List<String> cookies = web.get().uri("/my").accept(MediaType.TEXT_HTML).exchange().expectStatus().isFound()
                .returnResult(Void.class).getResponseHeaders().get(HttpHeaders.SET_COOKIE);
        // then its cookie is HttpOnly, Secure and SameSite=Lax
        assertThat(cookies).anySatisfy(cookie -> assertThat(cookie).startsWith("CITY311_CONSOLE=")
                .containsIgnoringCase("HttpOnly").contains("Secure", "SameSite=Lax"));
    }

    @Test
    void shouldAllowNoInlineScriptNoEvalAndNoOtherOrigin() {
        // when a public page is served
        String policy = web.get().uri("/track").exchange().expectStatus().isOk().returnResult(String.class)
                .getResponseHeaders().getFirst("Content-Security-Policy");
        // then scripts and styles come from the console only, and only the identity provider finishes a form
        assertThat(policy).contains("default-src 'self'", "script-src 'self'", "style-src 'self'",
                "frame-ancestors 'none'", "form-action 'self' " + issuer()).doesNotContain("unsafe");
    }

    @Test
    void shouldServeThePublicTrackingFormWithoutSignIn() {
        web.get().uri("/track").exchange().expectStatus().isOk().expectBody(String.class)
                .value(page -> assertThat(page).contains("<label for=\"id\">Request number</label>",
                        "name=\"id\""));
    }

    @Test
    void shouldTakeATrackedNumberToItsPageAndAnythingElseNowhere() {
        assertThat(web.get().uri("/track?id= 311-00000042 ").exchange().expectStatus().is3xxRedirection()
                .returnResult(Void.class).getResponseHeaders().getLocation()).hasToString("/track/311-00000042");
        // what is not a request number is said so on the form, and goes into no address
        web.get().uri("/track?id={typed}", "//elsewhere.example/x").exchange().expectStatus().isOk()
                .expectBody(String.class).value(page -> assertThat(page).contains("That is not a request number",
                        "aria-invalid=\"true\""));
    }

    @Test
    void shouldShowAResidentTheErrorPageInItsFrameWhenAServiceDoesNotAnswer() {
        // given a resident on a public page while routing-service is down
        var answer = web.get().uri("/departments/transportation").accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().is5xxServerError().expectBody(String.class).returnResult();
        // then the console's own page says so, with the public pages' links, and keeps no session for them
        assertThat(answer.getResponseBody()).contains("Staff sign-in", "Track a request")
                .doesNotContain("Whitelabel");
        assertThat(answer.getResponseHeaders().get(HttpHeaders.SET_COOKIE)).isNullOrEmpty();
    }

    @Test
    void shouldKeepNoSessionForAVisitorOfThePublicPages() {
        // a resident tracking a request: nothing of theirs is kept in the console's memory, so many visitors cannot
        // crowd out staff sessions
        assertThat(web.get().uri("/track").exchange().expectStatus().isOk().returnResult(String.class)
                .getResponseHeaders().get(HttpHeaders.SET_COOKIE)).isNullOrEmpty();
    }

    @Test
    void shouldRefuseAFormPostWithoutTheCsrfToken() {
        web.post().uri("/call").contentType(MediaType.APPLICATION_FORM_URLENCODED).bodyValue("serviceCode=pothole")
                .exchange().expectStatus().isForbidden();
    }

    @Test
    void shouldServeItsScriptsAndStylesFromWebJarsWithoutAVersionInThePath() {
        // no CDN and no Node build: the pages work on a network without internet
        web.get().uri("/webjars/htmx.org/dist/htmx.min.js").exchange().expectStatus().isOk();
        web.get().uri("/webjars/leaflet/dist/leaflet.js").exchange().expectStatus().isOk();
        web.get().uri("/webjars/picocss__pico/css/pico.min.css").exchange().expectStatus().isOk();
        web.get().uri("/js/console.js").exchange().expectStatus().isOk();
    }

    @Test
    void shouldAnswerHealthForProbes() {
        web.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody(String.class)
                .value(body -> assertThat(body).contains("\"status\":\"UP\""));
    }
}
