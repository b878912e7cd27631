package org.city311.identity;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The local run's OpenID Connect provider: signs in one user per role and per department with a password, and
 * issues tokens signed with the local key (var/jwt), which the services already check. A stand-in for the city's
 * identity provider (Keycloak in docker-compose.yml); never deployed.
 */
// The platform jar is here for Role and the local key only; its auto-configurations are the services' reactive
// stack (Kafka, MongoDB, the resource server), which this servlet application has none of.
@SpringBootApplication(excludeName = { "org.city311.platform.PlatformAutoConfiguration",
        "org.city311.platform.security.SecurityAutoConfiguration" })
@ConfigurationPropertiesScan
public class IdentityProviderApplication {

    public static void main(String[] args) {
        SpringApplication.run(IdentityProviderApplication.class, args);
    }
}
