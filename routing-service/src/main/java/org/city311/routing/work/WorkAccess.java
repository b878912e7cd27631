package org.city311.routing.work;

import org.city311.platform.security.AccessRules;
import org.city311.platform.security.Caller;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

import static org.city311.platform.security.AccessRules.authorities;
import static org.city311.platform.security.Role.ADMIN;
import static org.city311.platform.security.Role.AGENT;
import static org.city311.platform.security.Role.AUDITOR;
import static org.city311.platform.security.Role.PEOPLE;
import static org.city311.platform.security.Role.SUPERVISOR;

/**
 * Who may see and work a department's requests: its own agents and supervisors, for as long as the request is
 * routed there (a transfer moves the right with it); auditors read every queue; admins may act anywhere, to
 * unstick a request. The public catalog (services, departments, districts, directory) is read by every role people
 * sign in with and by the console's public pages ({@code public-reader}, nothing else); the catalog's YAML is read by
 * admins and auditors and changed by admins.
 */
@Configuration(proxyBeanMethods = false)
class WorkAccess {

    @Bean
    AccessRules routingServiceAccess() {
        return exchanges -> exchanges
                .pathMatchers(HttpMethod.GET, "/api/catalog").hasAnyAuthority(authorities(ADMIN, AUDITOR))
                .pathMatchers("/api/catalog").hasAnyAuthority(authorities(ADMIN))
                .pathMatchers(HttpMethod.GET, "/api/catalog/services", "/api/catalog/departments",
                        "/api/catalog/departments/*", "/api/catalog/districts", "/api/directory")
                        .hasAnyAuthority(org.springframework.util.StringUtils.addStringToArray(authorities(PEOPLE),
                                org.city311.platform.security.Role.PUBLIC_READER.authority()))
                .pathMatchers(HttpMethod.GET, "/api/departments/*/queue", "/api/departments/*/queue/counts",
                        WorkController.WORK + "/*")
                        .hasAnyAuthority(authorities(AGENT, SUPERVISOR, AUDITOR, ADMIN))
                .pathMatchers(HttpMethod.POST, WorkController.WORK + "/*/*").hasAnyAuthority(authorities(AGENT, SUPERVISOR, ADMIN))
                .pathMatchers(HttpMethod.POST, "/api/departments/*/assignments")
                        .hasAnyAuthority(authorities(SUPERVISOR, ADMIN))
                .pathMatchers("/api/**").denyAll();
    }

    static boolean mayRead(Caller caller, String department) {
        return caller.worksFor(department) || caller.hasAny(AUDITOR, ADMIN);
    }

    static boolean mayWork(Caller caller, String department) {
        return caller.worksFor(department) || caller.has(ADMIN);
    }
}
