package org.city311.platform.security;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * What a token must say beyond its signature and times, whatever the key source: who issued it, that it is meant
 * for this platform, and when it ends. Each refusal names its reason, which the 401's {@code WWW-Authenticate}
 * repeats, so the caller's developer sees what to fix.
 */
final class TokenClaims {

    private TokenClaims() {
    }

    static OAuth2TokenValidator<Jwt> issuedBy(String issuer) {
        return refuseUnless(token -> token.getIssuer() != null && issuer.equals(token.getIssuer().toString()),
                token -> "The token was issued by '" + token.getClaimAsString("iss") + "', not by '" + issuer
                        + "' (iss)");
    }

    static OAuth2TokenValidator<Jwt> meantFor(String audience) {
        return refuseUnless(token -> {
            List<String> named = token.getAudience();
            return named != null && named.contains(audience);
        }, token -> "The token is not meant for '" + audience + "' (aud: " + token.getAudience() + ")");
    }

    /** A token that never ends could never be taken back: refused. */
    static OAuth2TokenValidator<Jwt> expiring() {
        return refuseUnless(token -> token.getExpiresAt() != null, token -> "The token has no expiry (exp)");
    }

    private static OAuth2TokenValidator<Jwt> refuseUnless(Predicate<Jwt> valid,
            Function<Jwt, String> reason) {
        return token -> valid.test(token) ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
                        reason.apply(token), null));
    }
}
