package org.city311.platform.security;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.city311.platform.test.TestClock;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VerifiedTokensTests {

    private final TestClock clock = new TestClock();
    private final AtomicInteger checks = new AtomicInteger();
    /** Stands for the signature and claims check: "bad" tokens are refused, others expire an hour after now. */
    private final ReactiveJwtDecoder check = token -> {
        checks.incrementAndGet();
        if (token.startsWith("bad")) {
            return Mono.error(new BadJwtException("signature does not match"));
        }
        return Mono.just(jwt(token, clock.instant().plus(Duration.ofHours(1))));
    };

    @Test
    void shouldCheckASignedInPersonsTokenOnceForTheirRequestsOfTheNextMinutes() {
        VerifiedTokens tokens = new VerifiedTokens(check, clock);

        for (int request = 0; request < 50; request++) {
            assertThat(tokens.decode("token-of-a-call-taker").block().getSubject()).isEqualTo("token-of-a-call-taker");
            clock.advance(Duration.ofSeconds(5));
        }

        // 250 s of requests: checked once
        assertThat(checks).hasValue(1);
        // after five minutes, checked again (a withdrawn key stops being trusted)
        clock.advance(Duration.ofMinutes(1));
        tokens.decode("token-of-a-call-taker").block();
        assertThat(checks).hasValue(2);
    }

    @Test
    void shouldCheckEveryOtherTokenAndNeverKeepARefusedOne() {
        VerifiedTokens tokens = new VerifiedTokens(check, clock);

        tokens.decode("token-a").block();
        tokens.decode("token-b").block();
        assertThatThrownBy(() -> tokens.decode("bad-token").block()).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> tokens.decode("bad-token").block()).isInstanceOf(BadJwtException.class);

        assertThat(checks).hasValue(4);
        assertThat(tokens.size()).isEqualTo(2);
    }

    @Test
    void shouldNotTakeATokenFromTheCacheOnceItHasExpired() {
        // a token that expires in a minute
        ReactiveJwtDecoder shortLived = token -> {
            checks.incrementAndGet();
            return Mono.just(jwt(token, TestClock.START.plus(Duration.ofMinutes(1))));
        };
        VerifiedTokens tokens = new VerifiedTokens(shortLived, clock);
        tokens.decode("token").block();
        tokens.decode("token").block();
        assertThat(checks).hasValue(1);

        clock.advance(Duration.ofMinutes(1));
        tokens.decode("token").block();

        // checked again, where the check (not the cache) decides, with its allowance for clock skew
        assertThat(checks).hasValue(2);
    }

    @Test
    void shouldKeepNoMoreThanItsLimitOfTokens() {
        VerifiedTokens tokens = new VerifiedTokens(check, clock);

        for (int person = 0; person <= VerifiedTokens.MAX_TOKENS; person++) {
            tokens.decode("token-" + person).block();
        }

        assertThat(tokens.size()).isLessThanOrEqualTo(VerifiedTokens.MAX_TOKENS);
    }

    private static Jwt jwt(String token, Instant expiresAt) {
        return Jwt.withTokenValue(token).header("alg", "RS256").subject(token)
                .issuedAt(expiresAt.minus(Duration.ofHours(2))).expiresAt(expiresAt).build();
    }
}
