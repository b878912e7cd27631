package org.city311.metrics.scorecard;

import org.city311.platform.security.AccessRules;
import org.city311.platform.security.Role;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

import static org.city311.platform.security.AccessRules.authorities;

/**
 * Who may read what: every role people sign in with reads everything here; the console's public pages (role
 * {@code public-reader}) read the departments' scorecards, trends and resolution times, which hold figures only
 * (no names, no notes: nothing to leave out for them), and nothing else: not the goals (the city's own targets,
 * for its staff), not the Prometheus view's owners' endpoints.
 */
@Configuration(proxyBeanMethods = false)
class ScorecardAccess {

    private static final Role[] PEOPLE_AND_PUBLIC = { Role.STAFF, Role.AGENT, Role.SUPERVISOR, Role.AUDITOR,
            Role.OPS, Role.ADMIN, Role.PUBLIC_READER };

    @Bean
    AccessRules metricsServiceAccess() {
        return exchanges -> exchanges
                .pathMatchers(HttpMethod.GET, "/api/scorecards", "/api/scorecards/*", "/api/scorecards/*/trend",
                        "/api/scorecards/*/resolution-times")
                        .hasAnyAuthority(authorities(PEOPLE_AND_PUBLIC))
                .pathMatchers("/api/**").hasAnyAuthority(authorities(Role.PEOPLE));
    }
}
