package org.city311.platform.security;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Who is calling, from their token: a controller declares a {@code Caller} parameter to get it.
 *
 * @param id the token's subject: the staff member's stable id, recorded on every change they make
 * @param name how to show them, from the name claim, else the id
 * @param roles what they may do
 * @param department the department agents and supervisors are bound to; null for every other role
 * @param team the staff member's team (a code: {@code call-centre}), which a filing carries so that misrouting at
 *        intake is counted per team, never per person; null when the token names none, or no code
 */
public record Caller(String id, String name, Set<Role> roles, String department, String team) {

    private static final Pattern CODE = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    public Caller {
        roles = Set.copyOf(roles);
        department = department == null || department.isBlank() ? null : department;
        team = team == null || !CODE.matcher(team).matches() ? null : team;
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    public boolean hasAny(Role... any) {
        for (Role role : any) {
            if (roles.contains(role)) {
                return true;
            }
        }
        return false;
    }

    /** An agent or supervisor of this department: the people who work its requests. */
    public boolean worksFor(String departmentCode) {
        return department != null && department.equals(departmentCode) && hasAny(Role.AGENT, Role.SUPERVISOR);
    }

    /** A supervisor of this department. */
    public boolean supervises(String departmentCode) {
        return department != null && department.equals(departmentCode) && has(Role.SUPERVISOR);
    }

    /**
     * Whether the resident's name, phone, e-mail and the notes they gave may be shown to this caller: to staff, who
     * took the request and answer the resident's calls, and to the department the request is routed to.
     */
    public boolean seesPersonalDataOf(String routedDepartment) {
        return has(Role.STAFF) || (routedDepartment != null && worksFor(routedDepartment));
    }

    static Caller of(Jwt token, SecurityProperties properties) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Object claimed = token.getClaims().get(properties.rolesClaim());
        if (claimed instanceof Collection<?> values) {
            values.forEach(value -> Role.fromClaim(String.valueOf(value)).ifPresent(roles::add));
        }
        else if (claimed instanceof String value) {
            for (String one : value.split("[\\s,]+")) {
                Role.fromClaim(one).ifPresent(roles::add);
            }
        }
        String name = token.getClaimAsString(properties.nameClaim());
        return new Caller(token.getSubject(), name == null || name.isBlank() ? token.getSubject() : name, roles,
                token.getClaimAsString(properties.departmentClaim()), token.getClaimAsString(properties.teamClaim()));
    }
}
