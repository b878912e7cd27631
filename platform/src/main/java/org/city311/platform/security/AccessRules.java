package org.city311.platform.security;

import org.springframework.security.config.web.server.ServerHttpSecurity;

/**
 * A service's role gates, path by path, declared as a bean. Rules that depend on the request itself (an agent's
 * department, the resident's personal data) are checked where the request is loaded, with {@link Caller}.
 * Anything no rule names needs a valid token that gives one of the people's roles ({@link Role#PEOPLE}).
 */
@FunctionalInterface
public interface AccessRules {

    void declare(ServerHttpSecurity.AuthorizeExchangeSpec exchanges);

    /** The roles as authorities, for {@code hasAnyRole}-style rules: {@code roles(STAFF, AGENT)}. */
    static String[] authorities(Role... roles) {
        String[] authorities = new String[roles.length];
        for (int i = 0; i < roles.length; i++) {
            authorities[i] = roles[i].authority();
        }
        return authorities;
    }
}
