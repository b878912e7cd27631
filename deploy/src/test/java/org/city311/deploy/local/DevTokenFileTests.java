package org.city311.deploy.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Properties;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.city311.platform.security.DevTokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local run's token file, as ./run.sh writes it at every start. */
class DevTokenFileTests {

    private static final Path SAMPLE_CATALOG = Path.of("../routing-service/src/main/resources/catalog/sample-city.yml");

    @TempDir
    Path folder;

    @Test
    void shouldReadEveryDepartmentOfTheSampleCatalogInItsOrder() throws Exception {
        List<String> departments = DevTokenFile.departments(SAMPLE_CATALOG);

        assertThat(departments).startsWith("triage", "transportation", "sanitation")
                .contains("housing", "parks", "social-services", "consumer-protection").doesNotHaveDuplicates();
        // a service's or an attribute's code is no department
        assertThat(departments).doesNotContain("pothole", "streetlight-out", "apartment-number");
    }

    @Test
    void shouldRefuseACatalogWithoutDepartments() throws Exception {
        Path empty = Files.writeString(folder.resolve("catalog.yml"), "city:\n  name: \"Nowhere\"\n");

        assertThatThrownBy(() -> DevTokenFile.departments(empty)).hasMessageContaining("lists no departments");
    }

    @Test
    void shouldRewriteTheTokensKeepTheOtherLinesAndSignWithTheKeptKey() throws Exception {
        // given a token file from an earlier start, with the Open311 key the run added and an old token
        Path env = folder.resolve("dev-tokens.env");
        Files.writeString(env, "OPEN311_API_KEY=abc123\n# Bearer tokens signed by this machine's local key\n"
                + "STAFF_TOKEN=old\nAGENT_TOKEN_PARKS=old\n");

        // when the tool runs as ./run.sh runs it
        DevTokenFile.main(new String[] { folder.resolve("jwt").toString(), SAMPLE_CATALOG.toString(), env.toString() });

        // then the Open311 key is kept, and every role and department has a fresh token, once
        Properties lines = new Properties();
        try (var reader = Files.newBufferedReader(env)) {
            lines.load(reader);
        }
        assertThat(lines.getProperty("OPEN311_API_KEY")).isEqualTo("abc123");
        assertThat(lines.stringPropertyNames()).contains("STAFF_TOKEN", "OPS_TOKEN", "ADMIN_TOKEN", "AUDITOR_TOKEN",
                "AGENT_TOKEN_TRANSPORTATION", "SUPERVISOR_TOKEN_SOCIAL_SERVICES", "AGENT_TOKEN_PARKS");
        assertThat(Files.readAllLines(env)).filteredOn(line -> line.startsWith("STAFF_TOKEN=")).hasSize(1);
        assertThat(lines.getProperty("STAFF_TOKEN")).isNotEqualTo("old");

        // and the tokens are signed by the key kept in the folder, with the local run's issuer and the roles
        RSAPublicKey key = JWKSet.parse(DevTokens.keptIn(folder.resolve("jwt")).jwkSet()).getKeys().get(0).toRSAKey()
                .toRSAPublicKey();
        SignedJWT agent = SignedJWT.parse(lines.getProperty("AGENT_TOKEN_TRANSPORTATION"));
        assertThat(agent.verify(new RSASSAVerifier(key))).isTrue();
        assertThat(agent.getJWTClaimsSet().getIssuer()).isEqualTo(DevTokens.LOCAL_ISSUER);
        assertThat(agent.getJWTClaimsSet().getStringClaim("department")).isEqualTo("transportation");
        SignedJWT staff = SignedJWT.parse(lines.getProperty("STAFF_TOKEN"));
        assertThat(staff.getJWTClaimsSet().getStringClaim("team")).isEqualTo(DevTokens.LOCAL_CALL_CENTRE);
    }
}
