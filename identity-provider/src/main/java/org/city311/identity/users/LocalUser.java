package org.city311.identity.users;

import java.util.List;
import java.util.Locale;

import org.city311.platform.security.Role;

/**
 * One user of the local run.
 *
 * @param username the sign-in name, and the tokens' subject ({@code sub}): the same as in DevTokens' tokens
 * @param name how the console shows them ({@code name})
 * @param role what they may do ({@code roles})
 * @param department the department an agent or supervisor is bound to ({@code department}); null for the others
 * @param team the team ({@code team}): the call centre's call-takers and their supervisor; null for the others
 */
public record LocalUser(String username, String name, Role role, String department, String team) {

    /** The roles claim: the services read a list. */
    public List<String> roles() {
        return List.of(role.claim());
    }

    /** Someone of no department and no team: {@code ops.local}. */
    static LocalUser of(String username, String name, Role role) {
        return new LocalUser(username, name, role, null, null);
    }

    /**
     * The shell variable of the users file: {@code STAFF_LOGIN}, {@code AGENT_LOGIN_ENVIRONMENTAL_PROTECTION},
     * {@code SUPERVISOR_LOGIN_CALL_CENTRE} (a supervisor of a team, not a department).
     */
    String variable() {
        String prefix = role.name() + "_LOGIN";
        String of = department != null ? department : role != Role.STAFF ? team : null;
        return of == null ? prefix : prefix + "_" + of.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
