package org.city311.feedback.access;

import org.city311.platform.security.AccessRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

import static org.city311.platform.security.AccessRules.authorities;
import static org.city311.platform.security.Role.AGENT;
import static org.city311.platform.security.Role.AUDITOR;
import static org.city311.platform.security.Role.PEOPLE;
import static org.city311.platform.security.Role.STAFF;
import static org.city311.platform.security.Role.SUPERVISOR;

/**
 * Who may do what with feedback. Residents answer surveys by their link's token alone (public). Staff take
 * feedback by phone and fetch a fresh survey link to run it with the resident; auditors record audits and
 * read follow-ups without the resident's words; a department's agents and supervisors work its own follow-ups.
 * Staff ideas are open to everyone who signs in; a department's supervisors review its own.
 */
@Configuration(proxyBeanMethods = false)
class FeedbackAccess {

    @Bean
    AccessRules feedbackServiceAccess() {
        return exchanges -> exchanges
                .pathMatchers(HttpMethod.POST, "/api/feedback").hasAnyAuthority(authorities(STAFF))
                .pathMatchers(HttpMethod.POST, "/api/audits").hasAnyAuthority(authorities(AUDITOR))
                // a request's surveys (checked on each), or the caller's own as an internal request's customer
                .pathMatchers(HttpMethod.GET, "/api/surveys").hasAnyAuthority(authorities(STAFF, AGENT, SUPERVISOR,
                        AUDITOR))
                // a survey's link answers as the customer: issued afresh to staff, who run it by phone, and to the
                // requesting department of an internal request (checked on the survey)
                .pathMatchers(HttpMethod.POST, "/api/surveys/*/link").hasAnyAuthority(authorities(STAFF, AGENT,
                        SUPERVISOR))
                .pathMatchers(HttpMethod.GET, "/api/follow-ups", "/api/follow-ups/*")
                        .hasAnyAuthority(authorities(AGENT, SUPERVISOR, AUDITOR))
                .pathMatchers(HttpMethod.POST, "/api/follow-ups/*/acknowledge", "/api/follow-ups/*/close")
                        .hasAnyAuthority(authorities(AGENT, SUPERVISOR))
                // staff ideas: anyone who signs in submits and follows their own; who reviews is checked on each
                .pathMatchers("/api/ideas", "/api/ideas/**").hasAnyAuthority(authorities(PEOPLE))
                .pathMatchers("/api/**").denyAll();
    }
}
