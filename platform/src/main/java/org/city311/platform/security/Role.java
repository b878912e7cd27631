package org.city311.platform.security;

import java.util.Locale;
import java.util.Optional;

/**
 * What a caller may do, as named in the token's roles claim (lower case). Agents and supervisors are bound to one
 * department by the token's department claim.
 */
public enum Role {

    /** Call-centre and counter staff: file requests on behalf of residents and follow them. */
    STAFF,
    /** Works the requests routed to their own department. */
    AGENT,
    /** An agent who also assigns work within their department and answers for its follow-ups. */
    SUPERVISOR,
    /** Reads everything for audits, never residents' personal data. */
    AUDITOR,
    /** Watches service levels and the platform's health. */
    OPS,
    /** Configures the platform: the catalog, Open311 client keys. */
    ADMIN,
    /**
     * Not a person: feedback-service's own identity (a client-credentials token). It may read the contact consent
     * and e-mail address of a resolved request's resident, to send the survey, and nothing else.
     */
    SURVEY_SENDER,
    /**
     * Not a person: the console's own identity for its public pages (a client-credentials token). It may read what
     * any resident may see (the catalog, public service levels, a request's public status), nothing personal.
     */
    PUBLIC_READER;

    /** The roles people sign in with; every endpoint asks for at least one of them, or names a machine's role. */
    public static final Role[] PEOPLE = { STAFF, AGENT, SUPERVISOR, AUDITOR, OPS, ADMIN };

    /** The name in tokens: {@code staff}, {@code survey-sender}. */
    public String claim() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The authority Spring Security checks, {@code ROLE_staff} for staff. */
    public String authority() {
        return "ROLE_" + claim();
    }

    public static Optional<Role> fromClaim(String value) {
        for (Role role : values()) {
            if (role.claim().equals(value)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
