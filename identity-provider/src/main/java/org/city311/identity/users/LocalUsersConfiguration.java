package org.city311.identity.users;

import java.io.IOException;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.city311.identity.IdentityProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

@Configuration(proxyBeanMethods = false)
class LocalUsersConfiguration {

    private static final Logger log = LoggerFactory.getLogger(LocalUsersConfiguration.class);

    @Bean
    LocalUsers localUsers(IdentityProperties properties) throws IOException {
        return new LocalUsers(CatalogDepartments.of(properties.catalogLocation()));
    }

    /** The users with their passwords hashed: the plain passwords stay in the users file only. */
    @Bean
    UserDetailsService userDetailsService(LocalUsers users, IdentityProperties properties,
            PasswordEncoder passwords) throws IOException {
        Map<String, String> plain = UsersFile.passwords(properties.usersFile(), users.all());
        InMemoryUserDetailsManager details = new InMemoryUserDetailsManager();
        for (LocalUser user : users.all()) {
            details.createUser(User.withUsername(user.username())
                    .password(passwords.encode(plain.get(user.username())))
                    .roles(user.role().claim())
                    .build());
        }
        log.info("{} local users; their passwords are in {}", plain.size(), properties.usersFile());
        return details;
    }
}
