package org.city311.identity.users;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.city311.platform.security.DevTokens;
import org.city311.platform.security.Role;

/** Everyone who may sign in to the local run, by username. */
public final class LocalUsers {

    private final Map<String, LocalUser> byUsername = new LinkedHashMap<>();

    LocalUsers(List<CatalogDepartments.Department> departments) {
        add(new LocalUser("staff.local", "Local Staff Member", Role.STAFF, null, DevTokens.LOCAL_CALL_CENTRE));
        // the call-takers' supervisor: their team's knowledge checks and misrouting at intake
        add(new LocalUser("supervisor.call-centre", "Supervisor, Call Centre", Role.SUPERVISOR, null,
                DevTokens.LOCAL_CALL_CENTRE));
        add(LocalUser.of("ops.local", "Local Operations", Role.OPS));
        add(LocalUser.of("admin.local", "Local Administrator", Role.ADMIN));
        add(LocalUser.of("auditor.local", "Local Auditor", Role.AUDITOR));
        for (CatalogDepartments.Department department : departments) {
            add(new LocalUser("agent." + department.code(), "Agent, " + department.name(), Role.AGENT,
                    department.code(), null));
            add(new LocalUser("supervisor." + department.code(), "Supervisor, " + department.name(), Role.SUPERVISOR,
                    department.code(), null));
        }
    }

    private void add(LocalUser user) {
        byUsername.put(user.username(), user);
    }

    public Optional<LocalUser> find(String username) {
        return Optional.ofNullable(byUsername.get(username));
    }

    public List<LocalUser> all() {
        return new ArrayList<>(byUsername.values());
    }
}
