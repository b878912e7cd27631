package org.city311.identity;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.city311.platform.security.Caller;
import org.city311.platform.security.DevTokens;
import org.city311.platform.security.PlatformTokenCheck;
import org.city311.platform.security.Role;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local identity provider as the console and the services meet it: discovery, the sign-in form, the
 * authorization code flow with PKCE, refresh, client credentials, logout, and tokens checked by the services' own
 * check.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IdentityProviderIntegrationTests {

    static final Path VAR = temporaryFolder();
    static final String CONSOLE_SECRET = "console-secret-for-tests";
    static final String PUBLIC_SECRET = "public-secret-for-tests";
    static final String REDIRECT_URI = "http://localhost:8085/login/oauth2/code/city311";

    @DynamicPropertySource
    static void localRun(DynamicPropertyRegistry properties) {
        // a key folder with no key yet: the provider makes the pair, as at a first local run
        properties.add("city311.identity.private-key-location", () -> VAR.resolve("jwt/private.pem").toString());
        properties.add("city311.identity.users-file", () -> VAR.resolve("dev-users.env").toString());
        properties.add("city311.identity.catalog-location", () -> "src/test/resources/catalog/two-departments.yml");
        properties.add("city311.identity.console-client-secret", () -> CONSOLE_SECRET);
        properties.add("city311.identity.console-public-client-secret", () -> PUBLIC_SECRET);
    }

    @Value("http://localhost:${local.server.port}")
    String base;

    @AfterAll
    static void removeFolder() throws IOException {
        FileSystemUtils.deleteRecursively(VAR);
    }

    @Test
    void shouldNameTheLocalIssuerAndItsEndpointsInDiscovery() throws Exception {
        // when the console (or a service) reads the discovery document
        HttpResponse<String> response = new Browser().get(base + "/.well-known/openid-configuration");

        // then it names the local run's issuer, which the services expect, and the endpoints under it
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> discovery = JSONObjectUtils.parse(response.body());
        assertThat(discovery.get("issuer")).isEqualTo(DevTokens.LOCAL_ISSUER);
        assertThat(discovery.get("jwks_uri")).isEqualTo(DevTokens.LOCAL_ISSUER + "/oauth2/jwks");
        assertThat(discovery.get("end_session_endpoint")).isEqualTo(DevTokens.LOCAL_ISSUER + "/connect/logout");
        assertThat(JSONObjectUtils.getStringList(discovery, "code_challenge_methods_supported")).contains("S256");
    }

    @Test
    void shouldPublishTheLocalPublicKeyUnderDevTokensKeyId() throws Exception {
        // when the JWKS is read
        JWKSet published = JWKSet.parse(new Browser().get(base + "/oauth2/jwks").body());

        // then it is the local key pair's public half, under the key id of DevTokens' tokens, and nothing private
        JWKSet local = JWKSet.parse(DevTokens.keptIn(VAR.resolve("jwt")).jwkSet());
        assertThat(published.getKeys()).hasSize(1);
        assertThat(published.getKeys().get(0).getKeyID()).isEqualTo(DevTokens.KEY_ID);
        assertThat(published.getKeys().get(0).isPrivate()).isFalse();
        assertThat(published.getKeys().get(0).toPublicJWK().toRSAKey().toRSAPublicKey())
                .isEqualTo(local.getKeys().get(0).toRSAKey().toRSAPublicKey());
    }

    @Test
    void shouldSignInAnAgentWithTheFormAndIssueTokensTheServicesAccept() throws Exception {
        // given the agent of environmental-protection's password from the users file
        String password = password("AGENT_LOGIN_ENVIRONMENTAL_PROTECTION");

        // when the console signs them in: authorization code with PKCE, through the sign-in form
        Map<String, Object> tokens = signIn("agent.environmental-protection", password);

        // then the services' own check accepts the access token, and reads the agent and their department from it
        Caller caller = platformCheck().caller((String) tokens.get("access_token"));
        assertThat(caller.id()).isEqualTo("agent.environmental-protection");
        assertThat(caller.roles()).containsExactly(Role.AGENT);
        assertThat(caller.department()).isEqualTo("environmental-protection");
        assertThat(caller.name()).isEqualTo("Agent, Department of Environmental Protection");
        // and it lasts ten minutes
        assertThat(((Number) tokens.get("expires_in")).longValue()).isBetween(590L, 600L);
        // and the ID token tells the console who is signed in, with their roles and department
        JWTClaimsSet id = SignedJWT.parse((String) tokens.get("id_token")).getJWTClaimsSet();
        assertThat(id.getAudience()).containsExactly("city311-console");
        assertThat(id.getSubject()).isEqualTo("agent.environmental-protection");
        assertThat(id.getStringClaim("name")).isEqualTo("Agent, Department of Environmental Protection");
        assertThat(id.getStringListClaim("roles")).containsExactly("agent");
        assertThat(id.getStringClaim("department")).isEqualTo("environmental-protection");

        // when the console renews the tokens with the refresh token
        HttpResponse<String> renewed = Browser.postAs("city311-console", CONSOLE_SECRET, base + "/oauth2/token",
                Map.of("grant_type", "refresh_token", "refresh_token", (String) tokens.get("refresh_token")));

        // then the new access token is as good, for the same agent
        assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
        Caller renewedCaller = platformCheck().caller((String) JSONObjectUtils.parse(renewed.body()).get("access_token"));
        assertThat(renewedCaller.id()).isEqualTo("agent.environmental-protection");
        assertThat(renewedCaller.department()).isEqualTo("environmental-protection");
    }

    @Test
    void shouldSignInStaffWithNoDepartmentInTheCallCentreTeam() throws Exception {
        // when the staff member signs in
        Map<String, Object> tokens = signIn("staff.local", password("STAFF_LOGIN"));

        // then their token gives staff and no department, in the call centre's team (their filings count for it)
        Caller caller = platformCheck().caller((String) tokens.get("access_token"));
        assertThat(caller.roles()).containsExactly(Role.STAFF);
        assertThat(caller.department()).isNull();
        assertThat(caller.team()).isEqualTo("call-centre");
        assertThat(SignedJWT.parse((String) tokens.get("access_token")).getJWTClaimsSet().getClaims())
                .doesNotContainKey("department");
    }

    @Test
    void shouldGiveThePublicPagesClientPublicReaderAndNothingPersonal() throws Exception {
        // when the console's public client asks for its own token
        HttpResponse<String> response = Browser.postAs("city311-console-public", PUBLIC_SECRET, base + "/oauth2/token",
                Map.of("grant_type", "client_credentials"));

        // then the services accept it as public-reader only
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String token = (String) JSONObjectUtils.parse(response.body()).get("access_token");
        Caller caller = platformCheck().caller(token);
        assertThat(caller.roles()).containsExactly(Role.PUBLIC_READER);
        assertThat(caller.department()).isNull();
        // and it names no person: its subject is the client
        JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("city311-console-public");
        assertThat(claims.getClaims()).doesNotContainKeys("name", "department", "email");
        assertThat(claims.getStringListClaim("roles")).containsExactly("public-reader");
    }

    @Test
    void shouldRefuseTheConsoleClientASecretItDoesNotHave() throws Exception {
        // when the public client's token is asked for with a wrong secret
        HttpResponse<String> response = Browser.postAs("city311-console-public", "guessed", base + "/oauth2/token",
                Map.of("grant_type", "client_credentials"));

        // then no token
        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void shouldRefuseAWrongPasswordAndSayWhyOnTheForm() throws Exception {
        // given a browser at the sign-in form
        Browser browser = new Browser();
        String authorize = authorizeUrl(challenge(verifier()));
        String signInPage = Browser.location(browser.get(authorize));
        String form = browser.get(signInPage).body();

        // when a wrong password is given
        HttpResponse<String> refused = browser.post(base + "/login", Map.of("username", "staff.local",
                "password", "not-the-password", "_csrf", Browser.hidden(form, "_csrf")));

        // then the form comes back with the error, and no code is issued
        assertThat(Browser.location(refused)).endsWith("/login?error");
        String again = browser.get(Browser.location(refused)).body();
        assertThat(again).contains("There is a problem").contains("The username or the password is not right");
        HttpResponse<String> stillOut = browser.get(authorize);
        assertThat(Browser.location(stillOut)).endsWith("/login");
    }

    @Test
    void shouldServeAnAccessibleSignInFormWithNoScriptAndNothingExternal() throws Exception {
        // when the sign-in form is shown
        HttpResponse<String> response = new Browser().get(base + "/login");
        String page = response.body();

        // then it has a heading, labelled username and password fields, and nothing from elsewhere or scripted
        assertThat(page).contains("<html lang=\"en\"").contains("<h1>")
                .contains("<label for=\"username\">").contains("id=\"username\" name=\"username\"")
                .contains("<label for=\"password\">").contains("id=\"password\" name=\"password\"")
                .doesNotContain("<script").doesNotContain("http://").doesNotContain("https://")
                .doesNotContainPattern("\\son[a-z]+=");
        // and the browser is told to run no script and load nothing else, whatever the page came to hold
        assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy -> assertThat(
                policy).contains("default-src 'none'").contains("style-src 'self'")
                .contains("form-action 'self' http://localhost:8085").doesNotContain("script-src"));
    }

    @Test
    void shouldRefuseAnAuthorizationWithoutPkce() throws Exception {
        // given a signed-in browser
        Browser browser = signedInBrowser("ops.local", password("OPS_LOGIN"));

        // when the console client asks for a code without a code challenge
        HttpResponse<String> response = browser.get(base + "/oauth2/authorize?" + Browser.form(Map.of(
                "response_type", "code", "client_id", "city311-console", "redirect_uri", REDIRECT_URI,
                "scope", "openid profile", "state", "s1")));

        // then it is sent back with an error and no code
        Map<String, String> back = Browser.query(Browser.location(response));
        assertThat(back).containsEntry("error", "invalid_request").doesNotContainKey("code");
    }

    @Test
    void shouldEndTheSessionAtLogoutAndReturnToTheConsole() throws Exception {
        // given a signed-in browser and its ID token
        Browser browser = new Browser();
        Map<String, Object> tokens = signIn(browser, "auditor.local", password("AUDITOR_LOGIN"));

        // when the console sends the browser to the end-session endpoint
        HttpResponse<String> loggedOut = browser.get(base + "/connect/logout?" + Browser.form(Map.of(
                "id_token_hint", (String) tokens.get("id_token"),
                "post_logout_redirect_uri", "http://localhost:8085/")));

        // then it lands back on the console, and the next authorization asks for the password again
        assertThat(Browser.location(loggedOut)).isEqualTo("http://localhost:8085/");
        assertThat(Browser.location(browser.get(authorizeUrl(challenge(verifier()))))).endsWith("/login");
    }

    @Test
    void shouldWriteEveryUserToTheUsersFileReadableByItsOwnerOnly() throws Exception {
        // when the provider has started, the users file holds a line per user
        Path file = VAR.resolve("dev-users.env");
        List<String> lines = Files.readAllLines(file).stream().filter(line -> !line.startsWith("#")).toList();

        // then one per role, the call centre's supervisor, and an agent and a supervisor per department, each
        // username:password
        assertThat(lines).extracting(line -> line.substring(0, line.indexOf(':'))).containsExactly(
                "STAFF_LOGIN=staff.local", "SUPERVISOR_LOGIN_CALL_CENTRE=supervisor.call-centre", "OPS_LOGIN=ops.local", "ADMIN_LOGIN=admin.local",
                "AUDITOR_LOGIN=auditor.local", "AGENT_LOGIN_TRANSPORTATION=agent.transportation",
                "SUPERVISOR_LOGIN_TRANSPORTATION=supervisor.transportation",
                "AGENT_LOGIN_ENVIRONMENTAL_PROTECTION=agent.environmental-protection",
                "SUPERVISOR_LOGIN_ENVIRONMENTAL_PROTECTION=supervisor.environmental-protection");
        assertThat(lines).allSatisfy(line -> assertThat(line).matches("[A-Z_]+=[a-z.-]+:[A-Za-z0-9]{20}"));
        assertThat(lines.stream().map(line -> line.substring(line.lastIndexOf(':'))).distinct()).hasSize(9);
        // and only its owner may read it
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    // --- the flow ------------------------------------------------------------------------------------------------

    private Map<String, Object> signIn(String username, String password) throws Exception {
        return signIn(new Browser(), username, password);
    }

    /** The console's sign-in: authorize (PKCE), the form, the code back to the console, the code for tokens. */
    private Map<String, Object> signIn(Browser browser, String username, String password) throws Exception {
        String verifier = verifier();
        HttpResponse<String> toSignIn = browser.get(authorizeUrl(challenge(verifier)));
        String signInPage = Browser.location(toSignIn);
        assertThat(signInPage).endsWith("/login");
        String form = browser.get(signInPage).body();
        HttpResponse<String> signedIn = browser.post(base + "/login", Map.of("username", username,
                "password", password, "_csrf", Browser.hidden(form, "_csrf")));
        String backToAuthorize = Browser.location(signedIn);
        assertThat(backToAuthorize).as("no error after signing in").doesNotContain("error");
        // no consent screen: straight back to the console with a code
        String callback = Browser.location(browser.get(backToAuthorize));
        assertThat(callback).startsWith(REDIRECT_URI + "?");
        Map<String, String> parameters = Browser.query(callback);
        assertThat(parameters).containsEntry("state", "s1").containsKey("code");

        Map<String, String> exchange = new LinkedHashMap<>();
        exchange.put("grant_type", "authorization_code");
        exchange.put("code", parameters.get("code"));
        exchange.put("redirect_uri", REDIRECT_URI);
        exchange.put("code_verifier", verifier);
        HttpResponse<String> tokens = Browser.postAs("city311-console", CONSOLE_SECRET, base + "/oauth2/token", exchange);
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        return JSONObjectUtils.parse(tokens.body());
    }

    private Browser signedInBrowser(String username, String password) throws Exception {
        Browser browser = new Browser();
        signIn(browser, username, password);
        return browser;
    }

    private String authorizeUrl(String challenge) {
        Map<String, String> request = new LinkedHashMap<>();
        request.put("response_type", "code");
        request.put("client_id", "city311-console");
        request.put("redirect_uri", REDIRECT_URI);
        request.put("scope", "openid profile");
        request.put("state", "s1");
        request.put("code_challenge", challenge);
        request.put("code_challenge_method", "S256");
        return base + "/oauth2/authorize?" + Browser.form(request);
    }

    private static String verifier() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static String challenge(String verifier) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    /** The services' check of the local run: var/jwt/public.pem, the local issuer and audience. */
    private static PlatformTokenCheck platformCheck() throws Exception {
        return new PlatformTokenCheck("file:" + VAR.resolve("jwt/public.pem"), DevTokens.LOCAL_ISSUER,
                DevTokens.LOCAL_AUDIENCE);
    }

    static String password(String variable) throws IOException {
        return password(VAR.resolve("dev-users.env"), variable);
    }

    static String password(Path usersFile, String variable) throws IOException {
        return Files.readAllLines(usersFile).stream().filter(line -> line.startsWith(variable + "="))
                .map(line -> line.substring(line.lastIndexOf(':') + 1)).findFirst()
                .orElseThrow(() -> new AssertionError(variable + " not in " + usersFile));
    }

    private static Path temporaryFolder() {
        try {
            return Files.createTempDirectory("identity-provider-tests");
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
