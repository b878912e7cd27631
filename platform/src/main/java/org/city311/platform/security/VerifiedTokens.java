package org.city311.platform.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import reactor.core.publisher.Mono;

/**
 * A bearer token checked once and then taken as checked while it is valid, for a few minutes at most: a call-taker's
 * console sends the same token with every request, and checking its RSA signature and claims again each time was
 * an eighth of request-service's CPU at intake under load (a profile of the storm bench).
 * <p>
 * The cache is keyed by the whole token, so only the very token that passed every check is taken again, never a
 * changed one. A token is taken from the cache only before its expiry (stricter than the check itself, which allows a
 * minute of clock skew) and within {@link #RECHECK_AFTER} of its check, so that a key the provider has withdrawn
 * stops being trusted within minutes, as a signing-key cache would. Refused tokens are not kept.
 */
final class VerifiedTokens implements ReactiveJwtDecoder {

    /** How long a token's check is relied on before it is checked again (keys rotate, providers revoke). */
    static final Duration RECHECK_AFTER = Duration.ofMinutes(5);
    /** Tokens kept at most: the staff signed in at once, with room; beyond it the expired ones are dropped first. */
    static final int MAX_TOKENS = 10_000;

    private final ReactiveJwtDecoder checks;
    private final Clock clock;
    private final Map<String, Checked> checked = new ConcurrentHashMap<>();

    private record Checked(Jwt jwt, Instant until) {
    }

    VerifiedTokens(ReactiveJwtDecoder checks, Clock clock) {
        this.checks = checks;
        this.clock = clock;
    }

    @Override
    public Mono<Jwt> decode(String token) {
        Checked known = checked.get(token);
        if (known != null) {
            if (clock.instant().isBefore(known.until())) {
                return Mono.just(known.jwt());
            }
            checked.remove(token, known);
        }
        return checks.decode(token).doOnNext(jwt -> keep(token, jwt));
    }

    private void keep(String token, Jwt jwt) {
        Instant now = clock.instant();
        Instant until = now.plus(RECHECK_AFTER);
        if (jwt.getExpiresAt() != null && jwt.getExpiresAt().isBefore(until)) {
            until = jwt.getExpiresAt();
        }
        if (!now.isBefore(until)) {
            return;
        }
        if (checked.size() >= MAX_TOKENS) {
            checked.values().removeIf(entry -> !now.isBefore(entry.until()));
            if (checked.size() >= MAX_TOKENS) {
                checked.clear();
            }
        }
        checked.put(token, new Checked(jwt, until));
    }

    /** Tokens kept now, for tests. */
    int size() {
        return checked.size();
    }
}
