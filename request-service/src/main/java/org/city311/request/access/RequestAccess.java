package org.city311.request.access;

import org.city311.platform.security.AccessRules;
import org.city311.platform.security.Caller;
import org.city311.platform.security.Role;
import org.city311.platform.web.Problems;
import org.city311.request.ServiceRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.http.HttpMethod;

import static org.city311.platform.security.AccessRules.authorities;
import static org.city311.platform.security.Role.ADMIN;
import static org.city311.platform.security.Role.AGENT;
import static org.city311.platform.security.Role.AUDITOR;
import static org.city311.platform.security.Role.OPS;
import static org.city311.platform.security.Role.PUBLIC_READER;
import static org.city311.platform.security.Role.STAFF;
import static org.city311.platform.security.Role.SUPERVISOR;
import static org.city311.platform.security.Role.SURVEY_SENDER;

/**
 * Who may do what with requests. Staff file and follow any request; agents and supervisors file internal
 * requests for their department and see the requests routed to it, asked by it, or filed by them; auditors read
 * everything but residents' personal data; admins manage Open311 client keys. Open311 is public (its own
 * api_key guards writes). The console's public pages, under their own identity ({@code public-reader}), read a
 * request's public status and timeline ({@code /api/track/{id}}), and nothing else here. feedback-service, under its own identity, reads the contact a resident agreed to for a
 * resolved request, to send the survey.
 */
@Configuration(proxyBeanMethods = false)
public class RequestAccess {

    @Bean
    AccessRules requestServiceAccess() {
        return exchanges -> exchanges
                .pathMatchers("/api/open311/clients", "/api/open311/clients/**").hasAnyAuthority(authorities(ADMIN))
                // feedback-service's own identity reads a resolved request's contact consent and address, and
                // nothing else; no person's role reads them this way
                .pathMatchers(HttpMethod.GET, "/api/requests/*/contact").hasAnyAuthority(authorities(SURVEY_SENDER))
                .pathMatchers(HttpMethod.GET, "/api/requests/*/audit").hasAnyAuthority(authorities(AUDITOR, ADMIN,
                        SUPERVISOR))
                .pathMatchers(HttpMethod.GET, "/api/requests/events", "/api/requests/*/events")
                        .hasAnyAuthority(authorities(STAFF, AGENT, SUPERVISOR))
                // duplicate candidates before filing: for those who file
                .pathMatchers(HttpMethod.GET, "/api/requests/nearby").hasAnyAuthority(authorities(STAFF, AGENT,
                        SUPERVISOR))
                .pathMatchers(HttpMethod.GET, "/api/requests", "/api/requests/*")
                        .hasAnyAuthority(authorities(STAFF, AGENT, SUPERVISOR, AUDITOR))
                .pathMatchers(HttpMethod.POST, "/api/requests").hasAnyAuthority(authorities(STAFF, AGENT, SUPERVISOR))
                // "this is the same": staff for any request, agents and supervisors for their department's internal
                // ones (checked by the handler)
                .pathMatchers(HttpMethod.POST, "/api/requests/*/reporters").hasAnyAuthority(authorities(STAFF, AGENT,
                        SUPERVISOR))
                .pathMatchers(HttpMethod.POST, "/api/requests/*/duplicate-of/*")
                        .hasAnyAuthority(authorities(STAFF, SUPERVISOR))
                // public tracking: what any resident may see, for the console's public pages and for people
                .pathMatchers(HttpMethod.GET, "/api/track/*").hasAnyAuthority(authorities(PUBLIC_READER, STAFF, AGENT,
                        SUPERVISOR, AUDITOR, OPS, ADMIN))
                .pathMatchers("/api/**").denyAll();
    }

    /** Everyone who may read requests at all reads every one, except agents and supervisors. */
    public static boolean readsAll(Caller caller) {
        return caller.hasAny(STAFF, AUDITOR, ADMIN);
    }

    /** Whether the caller may see this request. */
    public static boolean mayRead(Caller caller, ServiceRequest request) {
        if (readsAll(caller)) {
            return true;
        }
        return caller.worksFor(request.department()) || caller.worksFor(request.requestingDepartment())
                || caller.id().equals(request.filedBy());
    }

    /** The request, or 403 if it is another department's. */
    public static ServiceRequest readable(Caller caller, ServiceRequest request) {
        if (!mayRead(caller, request)) {
            throw Problems.forbidden("Request " + request.id() + " is not routed to, asked by or filed by your "
                    + "department.");
        }
        return request;
    }

    /**
     * Whether the resident's name and contact details may be shown: to staff, to the department the request is
     * routed to, and to whoever filed it.
     */
    public static boolean seesPersonalData(Caller caller, ServiceRequest request) {
        return caller.seesPersonalDataOf(request.department()) || caller.id().equals(request.filedBy());
    }

    /** The requests a search may return to this caller; null when they read every request. */
    public static Criteria searchScope(Caller caller) {
        if (readsAll(caller)) {
            return null;
        }
        if (caller.department() == null) {
            return Criteria.where("filedBy").is(caller.id());
        }
        return new Criteria().orOperator(Criteria.where("department").is(caller.department()),
                Criteria.where("requestingDepartment").is(caller.department()),
                Criteria.where("filedBy").is(caller.id()));
    }

    /**
     * The requests over which the caller may look for a resident by phone or e-mail: those whose residents' details
     * they see. Staff: every request (an empty criteria); an agent or supervisor: their department's and their own
     * filings; anyone else: none (empty optional).
     */
    public static java.util.Optional<Criteria> personalDataScope(Caller caller) {
        if (caller.has(Role.STAFF)) {
            return java.util.Optional.of(new Criteria());
        }
        if (caller.hasAny(AGENT, SUPERVISOR) && caller.department() != null) {
            return java.util.Optional.of(new Criteria().orOperator(Criteria.where("department").is(caller.department()),
                    Criteria.where("filedBy").is(caller.id())));
        }
        return java.util.Optional.empty();
    }

    /** An agent or supervisor asks for their own department; staff may file for any. */
    public static void checkRequestingDepartment(Caller caller, String requestingDepartment) {
        if (caller.has(Role.STAFF) || requestingDepartment == null) {
            return;
        }
        if (!requestingDepartment.equals(caller.department())) {
            throw Problems.invalid("requestingDepartment", "you may ask only for your own department, "
                    + caller.department());
        }
    }
}
