package org.city311.console.signin;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * Who is signed in, as the identity provider's ID token says: what the console shows and which pages it offers.
 * The services decide what this person may actually see and do, from the access token the console relays.
 *
 * @param id the subject: the name the services record as {@code filedBy} and {@code actedBy}
 * @param department the department of an agent or supervisor; null for everyone else
 */
public record SignedIn(String id, String name, Set<StaffRole> roles, String department) {

    public static SignedIn of(OidcUser user) {
        Set<StaffRole> roles = EnumSet.noneOf(StaffRole.class);
        Object claimed = user.getClaims().get("roles");
        if (claimed instanceof Collection<?> values) {
            values.forEach(value -> StaffRole.fromClaim(String.valueOf(value)).ifPresent(roles::add));
        }
        else if (claimed instanceof String value) {
            List.of(value.split("[ ,]+")).forEach(one -> StaffRole.fromClaim(one).ifPresent(roles::add));
        }
        String name = user.getFullName() != null ? user.getFullName() : user.getClaimAsString("name");
        return new SignedIn(user.getSubject(), name == null ? user.getSubject() : name, Set.copyOf(roles),
                user.getClaimAsString("department"));
    }

    public boolean has(StaffRole... any) {
        for (StaffRole role : any) {
            if (roles.contains(role)) {
                return true;
            }
        }
        return false;
    }

    /** Files requests: for residents (staff), or for their own department (agents and supervisors). */
    public boolean takesCalls() {
        return has(StaffRole.STAFF) || (has(StaffRole.AGENT, StaffRole.SUPERVISOR) && department != null);
    }

    /**
     * Works a department's queue: their own; auditors and admins look at any. A supervisor of a team rather than a
     * department (the call centre's) has none.
     */
    public boolean worksQueues() {
        return (has(StaffRole.AGENT, StaffRole.SUPERVISOR) && department != null)
                || has(StaffRole.AUDITOR, StaffRole.ADMIN);
    }

    public boolean followsUp() {
        return has(StaffRole.SUPERVISOR, StaffRole.AGENT, StaffRole.STAFF, StaffRole.AUDITOR);
    }

    public boolean administers() {
        return has(StaffRole.ADMIN);
    }

    public boolean isSupervisor() {
        return has(StaffRole.SUPERVISOR, StaffRole.ADMIN);
    }

    /** The page a person lands on after signing in, when they did not ask for one. */
    public String home() {
        if (has(StaffRole.STAFF)) {
            return "/call";
        }
        if (has(StaffRole.AGENT, StaffRole.SUPERVISOR)) {
            // a team's supervisor (the call centre's) starts from their team's knowledge checks
            return department != null ? "/queue" : "/quiz";
        }
        if (has(StaffRole.OPS, StaffRole.AUDITOR)) {
            return "/levels";
        }
        return has(StaffRole.ADMIN) ? "/admin" : "/levels";
    }
}
