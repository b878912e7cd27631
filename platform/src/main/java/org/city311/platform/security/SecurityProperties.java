package org.city311.platform.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How bearer tokens are checked ({@code city311.security}). Production names its OIDC provider with
 * {@code jwt.issuer-uri} (keys from its JWKS, issuer checked); the local run and the tests name a public key.
 *
 * @param jwt where the signing keys come from
 * @param rolesClaim the claim listing the caller's roles (a list, or a space-separated string)
 * @param departmentClaim the claim binding agents and supervisors to their department
 * @param nameClaim the claim with the caller's display name
 * @param teamClaim the claim naming the staff member's team (the call centre, a front desk), by which misrouting at
 *        intake is counted per team; absent for those in none
 * @param publicPaths paths served without a token, beyond health and metrics (Open311, survey pages)
 */
@ConfigurationProperties("city311.security")
public record SecurityProperties(@DefaultValue Jwt jwt, @DefaultValue("roles") String rolesClaim,
        @DefaultValue("department") String departmentClaim, @DefaultValue("name") String nameClaim,
        @DefaultValue List<String> publicPaths, @DefaultValue("team") String teamClaim) {

    /**
     * Whatever the key source, a token must name the expected issuer in {@code iss} and this platform in
     * {@code aud}, and carry an expiry.
     *
     * @param issuerUri the OIDC issuer, whose discovery document names the keys; wins when set
     * @param jwkSetUri a JWKS address, for providers without discovery
     * @param publicKeyLocation an RSA public key (PEM), for the local run and tests
     * @param issuer the {@code iss} tokens must carry; the issuer URI when not set
     * @param audience the {@code aud} tokens must name
     */
    public record Jwt(String issuerUri, String jwkSetUri, String publicKeyLocation, String issuer, String audience) {

        /** The issuer tokens must name: {@code issuer}, else the issuer URI, else none (the service will not start). */
        public String expectedIssuer() {
            return issuer != null && !issuer.isBlank() ? issuer : issuerUri;
        }
    }
}
