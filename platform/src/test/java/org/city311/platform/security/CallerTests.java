package org.city311.platform.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

import static org.assertj.core.api.Assertions.assertThat;

/** Who is calling, as their token says: the team a filing is counted for is a code, or none. */
class CallerTests {

    private static final SecurityProperties PROPERTIES = new SecurityProperties(
            new SecurityProperties.Jwt(null, null, null, "https://login.example", "city311"), "roles", "department",
            "name", List.of(), "team");

    private static Caller caller(Map<String, Object> claims) {
        Jwt.Builder token = Jwt.withTokenValue("t").header("alg", "RS256").subject("m.lopez")
                .issuedAt(Instant.parse("2026-12-06T10:00:00Z")).expiresAt(Instant.parse("2026-12-06T11:00:00Z"))
                .claim("roles", List.of("staff"));
        claims.forEach(token::claim);
        return Caller.of(token.build(), PROPERTIES);
    }

    @Test
    void shouldTakeTheTeamAStaffMemberIsInFromTheirToken() {
        assertThat(caller(Map.of("team", "call-centre")).team()).isEqualTo("call-centre");
        assertThat(caller(Map.of("team", "front-desk-2")).team()).isEqualTo("front-desk-2");
    }

    @Test
    void shouldGiveNoTeamWhenTheTokenNamesNoneOrNotACode() {
        assertThat(caller(Map.of()).team()).isNull();
        assertThat(caller(Map.of("team", "")).team()).isNull();
        // a metric label must stay a short code: a name, a person or markup is no team
        assertThat(caller(Map.of("team", "Call Centre")).team()).isNull();
        assertThat(caller(Map.of("team", "x".repeat(65))).team()).isNull();
        assertThat(caller(Map.of("team", "<script>")).team()).isNull();
    }
}
