package org.city311.identity.tokens;

import java.util.Arrays;
import java.util.List;

import org.city311.platform.security.Role;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

/** The roles a client's own tokens (client credentials) carry, kept in its registration's settings. */
public final class ClientRoles {

    private static final String SETTING = "city311.roles";

    private ClientRoles() {
    }

    /** A client's settings, with these roles for its own tokens. */
    public static ClientSettings.Builder with(ClientSettings.Builder settings, Role... roles) {
        return settings.setting(SETTING, Arrays.stream(roles).map(Role::claim).toList());
    }

    /** The roles of the client's own tokens: none unless its registration names some. */
    static List<String> of(RegisteredClient client) {
        List<String> roles = client.getClientSettings().getSetting(SETTING);
        return roles == null ? List.of() : roles;
    }
}
