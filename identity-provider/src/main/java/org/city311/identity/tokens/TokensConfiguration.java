package org.city311.identity.tokens;

import java.io.IOException;
import java.security.GeneralSecurityException;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import org.city311.identity.IdentityProperties;
import org.city311.identity.users.LocalUsers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

@Configuration(proxyBeanMethods = false)
class TokensConfiguration {

    /** The local key: signs every token, and is the one key of the JWKS. */
    @Bean
    JWKSource<SecurityContext> jwkSource(IdentityProperties properties) throws IOException, GeneralSecurityException {
        return new ImmutableJWKSet<>(new JWKSet(LocalSigningKey.load(properties.privateKeyLocation())));
    }

    /** Checks the ID token hint of a logout and the access token of the user info endpoint. */
    @Bean
    JwtDecoder jwtDecoder(JWKSource<SecurityContext> keys) {
        return OAuth2AuthorizationServerConfiguration.jwtDecoder(keys);
    }

    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> tokenClaims(LocalUsers users, IdentityProperties properties) {
        return new TokenClaims(users, properties.audience());
    }
}
