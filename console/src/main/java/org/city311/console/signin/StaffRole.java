package org.city311.console.signin;

import java.util.Locale;
import java.util.Optional;

/** The people's roles as the identity provider names them in the {@code roles} claim (the services' own names). */
public enum StaffRole {
    STAFF, AGENT, SUPERVISOR, AUDITOR, OPS, ADMIN;

    public String claim() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<StaffRole> fromClaim(String value) {
        for (StaffRole role : values()) {
            if (role.claim().equals(value)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
