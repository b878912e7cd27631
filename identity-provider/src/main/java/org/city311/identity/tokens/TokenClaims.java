package org.city311.identity.tokens;

import java.util.List;

import org.city311.identity.users.LocalUser;
import org.city311.identity.users.LocalUsers;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * The claims the services and the console read, in what this provider signs.
 * <ul>
 * <li>A user's access token: {@code aud} the platform, {@code sub} their username, {@code roles}, {@code name}
 * and, for an agent or supervisor, {@code department}. Their ID token says the same, for the console to show who
 * is signed in and pick its pages.
 * <li>A client's own access token (client credentials): the roles its registration names (the console's public
 * client: {@code public-reader}), nothing else about anyone.
 * </ul>
 */
final class TokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

    private final LocalUsers users;
    private final String audience;

    TokenClaims(LocalUsers users, String audience) {
        this.users = users;
        this.audience = audience;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        boolean accessToken = OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType());
        boolean idToken = OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue());
        if (!accessToken && !idToken) {
            return;
        }
        if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
            context.getClaims().audience(List.of(audience))
                    .claim("roles", ClientRoles.of(context.getRegisteredClient()));
            return;
        }
        LocalUser user = users.find(context.getPrincipal().getName()).orElseThrow(() -> new IllegalStateException(
                "No local user " + context.getPrincipal().getName()));
        if (accessToken) {
            // The ID token keeps its audience: the client it was issued to.
            context.getClaims().audience(List.of(audience));
        }
        context.getClaims().claim("name", user.name()).claim("roles", user.roles());
        if (user.department() != null) {
            context.getClaims().claim("department", user.department());
        }
        if (user.team() != null) {
            context.getClaims().claim("team", user.team());
        }
    }
}
