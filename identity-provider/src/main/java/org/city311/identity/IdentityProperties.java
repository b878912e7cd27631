package org.city311.identity;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the local identity provider runs ({@code city311.identity}; each one's environment variable is in
 * application.yml).
 *
 * @param issuer the {@code iss} of its tokens and the base of its endpoints: what the services expect
 *        ({@code JWT_ISSUER})
 * @param audience the {@code aud} of its access tokens ({@code JWT_AUDIENCE})
 * @param privateKeyLocation the local signing key, {@code private.pem}; made with its {@code public.pem} if missing
 * @param catalogLocation the catalog whose departments get an agent and a supervisor each
 * @param usersFile where the users' passwords are kept, as shell variables
 * @param consoleUrl where the console runs: its sign-in callback and post-logout address are under it
 * @param consoleClientSecret the secret of the console's sign-in client {@code city311-console}
 * @param consolePublicClientSecret the secret of the console's own client {@code city311-console-public}
 * @param accessTokenLife how long an access token (and an ID token) is valid
 * @param refreshTokenLife how long the console may renew a signed-in user's tokens without a new sign-in
 */
@ConfigurationProperties("city311.identity")
public record IdentityProperties(String issuer, String audience, String privateKeyLocation, Path catalogLocation,
        Path usersFile, String consoleUrl, String consoleClientSecret, String consolePublicClientSecret,
        @DefaultValue("10m") Duration accessTokenLife, @DefaultValue("8h") Duration refreshTokenLife) {
}
