package org.city311.identity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Starts and restarts of the provider (each on a random port): what it keeps, and what it refuses to start without. */
class IdentityProviderStartIntegrationTests {

    @TempDir
    Path var;

    @Test
    void shouldKeepEveryPasswordAcrossARestartAndAddUsersForANewDepartment() throws Exception {
        // given a provider started once on a catalog of two departments, then stopped
        Path usersFile = var.resolve("dev-users.env");
        start("two-departments.yml").close();
        String staff = IdentityProviderIntegrationTests.password(usersFile, "STAFF_LOGIN");
        String agent = IdentityProviderIntegrationTests.password(usersFile, "AGENT_LOGIN_TRANSPORTATION");

        // when it starts again on a catalog with a third department
        try (ConfigurableApplicationContext again = start("three-departments.yml")) {
            // then the file keeps the passwords it had, and the new department's users get theirs
            assertThat(IdentityProviderIntegrationTests.password(usersFile, "STAFF_LOGIN")).isEqualTo(staff);
            assertThat(IdentityProviderIntegrationTests.password(usersFile, "AGENT_LOGIN_TRANSPORTATION")).isEqualTo(agent);
            String parks = IdentityProviderIntegrationTests.password(usersFile, "SUPERVISOR_LOGIN_PARKS");
            assertThat(Files.readString(usersFile)).contains("SUPERVISOR_LOGIN_PARKS=supervisor.parks:" + parks);
            // and the kept passwords still sign in, as do the new ones
            assertThat(signsIn(again, "staff.local", staff)).isTrue();
            assertThat(signsIn(again, "agent.transportation", agent)).isTrue();
            assertThat(signsIn(again, "supervisor.parks", parks)).isTrue();
            // and what the provider holds is a hash, not the password
            assertThat(again.getBean(UserDetailsService.class).loadUserByUsername("staff.local").getPassword())
                    .doesNotContain(staff);
        }
    }

    @Test
    void shouldRefuseToStartWithoutTheConsoleClientSecrets() {
        // when the provider starts with no client secrets
        // then it refuses, naming the variables to set
        assertThatThrownBy(() -> start("two-departments.yml", "city311.identity.console-client-secret=",
                "city311.identity.console-public-client-secret=").close())
                .hasStackTraceContaining("CONSOLE_CLIENT_SECRET and CONSOLE_PUBLIC_CLIENT_SECRET");
    }

    private static boolean signsIn(ConfigurableApplicationContext context, String username, String password) {
        String hash = context.getBean(UserDetailsService.class).loadUserByUsername(username).getPassword();
        return context.getBean(PasswordEncoder.class).matches(password, hash);
    }

    private ConfigurableApplicationContext start(String catalog, String... more) {
        // as command-line arguments, which win over application.yml like the environment does
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("server.port", "0");
        properties.put("city311.identity.private-key-location", var.resolve("jwt/private.pem").toString());
        properties.put("city311.identity.users-file", var.resolve("dev-users.env").toString());
        properties.put("city311.identity.catalog-location", "src/test/resources/catalog/" + catalog);
        properties.put("city311.identity.console-client-secret", "one");
        properties.put("city311.identity.console-public-client-secret", "two");
        for (String property : more) {
            properties.put(property.substring(0, property.indexOf('=')), property.substring(property.indexOf('=') + 1));
        }
        List<String> arguments = new ArrayList<>();
        properties.forEach((name, value) -> arguments.add("--" + name + "=" + value));
        return new SpringApplicationBuilder(IdentityProviderApplication.class).run(arguments.toArray(String[]::new));
    }
}
