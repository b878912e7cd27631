package org.city311.platform.security;

import java.util.List;

import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * The services' own token check, as SecurityAutoConfiguration builds it for the local run (the local public key;
 * issuer, audience and expiry checked), and the caller the services read from a token it accepts.
 */
public final class PlatformTokenCheck {

    private final SecurityProperties properties;
    private final ReactiveJwtDecoder decoder;

    public PlatformTokenCheck(String publicKeyLocation, String issuer, String audience) throws Exception {
        this.properties = new SecurityProperties(new SecurityProperties.Jwt(null, null, publicKeyLocation, issuer,
                audience), "roles", "department", "name", List.of(), "team");
        this.decoder = new SecurityAutoConfiguration().jwtDecoder(properties, new DefaultResourceLoader());
    }

    /** The caller of a token the services accept; throws what the services would refuse it with. */
    public Caller caller(String token) {
        Jwt jwt = decoder.decode(token).block();
        return Caller.of(jwt, properties);
    }
}
