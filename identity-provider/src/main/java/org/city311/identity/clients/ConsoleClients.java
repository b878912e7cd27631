package org.city311.identity.clients;

import java.util.ArrayList;
import java.util.List;

import org.city311.identity.IdentityProperties;
import org.city311.identity.tokens.ClientRoles;
import org.city311.platform.security.Role;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

@Configuration(proxyBeanMethods = false)
class ConsoleClients {

    static final String CONSOLE = "city311-console";
    static final String CONSOLE_PUBLIC = "city311-console-public";

    @Bean
    RegisteredClientRepository registeredClients(IdentityProperties properties, PasswordEncoder passwords) {
        List<String> missing = new ArrayList<>();
        if (blank(properties.consoleClientSecret())) {
            missing.add("CONSOLE_CLIENT_SECRET");
        }
        if (blank(properties.consolePublicClientSecret())) {
            missing.add("CONSOLE_PUBLIC_CLIENT_SECRET");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Set " + String.join(" and ", missing) + ": the console's client secrets "
                    + "(the console is given the same values); there are no defaults");
        }
        String console = properties.consoleUrl().replaceAll("/+$", "");
        TokenSettings tokens = TokenSettings.builder()
                .accessTokenTimeToLive(properties.accessTokenLife())
                .refreshTokenTimeToLive(properties.refreshTokenLife())
                .reuseRefreshTokens(false)
                .build();
        RegisteredClient signIn = RegisteredClient.withId(CONSOLE)
                .clientId(CONSOLE)
                .clientName("City 311 console")
                .clientSecret(passwords.encode(properties.consoleClientSecret()))
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                .redirectUri(console + "/login/oauth2/code/city311")
                .postLogoutRedirectUri(console + "/")
                .scope(OidcScopes.OPENID)
                .scope(OidcScopes.PROFILE)
                .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false)
                        .build())
                .tokenSettings(tokens)
                .build();
        RegisteredClient publicPages = RegisteredClient
                .withId(CONSOLE_PUBLIC)
                .clientId(CONSOLE_PUBLIC)
                .clientName("City 311 console, public pages")
                .clientSecret(passwords.encode(properties.consolePublicClientSecret()))
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .clientSettings(ClientRoles.with(ClientSettings.builder(), Role.PUBLIC_READER).build())
                .tokenSettings(tokens)
                .build();
        return new InMemoryRegisteredClientRepository(signIn, publicPages);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
