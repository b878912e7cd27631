package org.city311.identity.users;

import java.util.List;
import java.util.Locale;

import org.city311.platform.security.DevTokens;
import org.city311.platform.security.Role;

/**
 * One user of the local run.
 *
 * @param username the sign-in name, and the tokens' subject ({@code sub}): the same as in DevTokens' tokens
 * @param name how the console shows them ({@code name})
 * @param role what they may do ({@code roles})
 * @param department the department an agent or supervisor is bound to ({@code department}); null for the others
 */
public record LocalUser(String username, String name, Role role, String department) {

    /** The roles claim: the services read a list. */
    public List<String> roles() {
        return List.of(role.claim());
    }

    /** The team of the local run's call-takers ({@code team}); none for the others. */
    public String team() {
        return role == Role.STAFF ? DevTokens.LOCAL_CALL_CENTRE : null;
    }

    /** The shell variable of the users file: {@code STAFF_LOGIN}, {@code AGENT_LOGIN_ENVIRONMENTAL_PROTECTION}. */
    String variable() {
        String prefix = role.name() + "_LOGIN";
        return department == null ? prefix : prefix + "_" + department.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
