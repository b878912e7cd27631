package org.city311.deploy.monitoring;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import org.city311.platform.security.Role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docker-compose.yml, checked without a Docker engine: Debian's docker-compose validates and renders it
 * ({@code config}), and the rendered file keeps the rules every container follows. CI installs docker-compose and
 * sets {@code CITY311_REQUIRE_DOCKER_COMPOSE}; elsewhere a missing docker-compose skips this with a notice.
 */
class ComposeFileTests {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper YAML = YAMLMapper.builder().build();
    /** The four services, each with its Prometheus job in deploy/prometheus/prometheus-compose.yml. */
    private static final List<String> SERVICES =
            List.of("request-service", "routing-service", "feedback-service", "metrics-service");

    @Test
    void shouldRenderWithEveryContainerPinnedHealthCheckedAndMemoryLimited() throws Exception {
        String rendered = render();

        String services = rendered.substring(rendered.indexOf("services:"), rendered.indexOf("\nversion:") > 0
                ? rendered.indexOf("\nversion:") : rendered.indexOf("\nvolumes:"));
        Matcher service = Pattern.compile("(?m)^  ([a-z0-9-]+):\n((?:^    .*\n)*)").matcher(services + "\n");
        int checked = 0;
        while (service.find()) {
            String name = service.group(1);
            String body = service.group(2);
            checked++;
            assertThat(body).as("%s: image pinned", name).containsPattern("image: \\S+:\\S+")
                    .doesNotContain(":latest");
            assertThat(body).as("%s: memory-limited", name).contains("mem_limit:");
            if (!name.equals("mongo-init")) {
                assertThat(body).as("%s: health-checked", name).contains("healthcheck:");
            }
        }
        assertThat(checked).as("services rendered").isGreaterThanOrEqualTo(9);
        assertThat(rendered).doesNotContainPattern("(?i)password: (?!\\$)[^\\s]{6,}");
    }

    @Test
    void shouldServeEveryActuatorOnAnUnpublishedManagementPortThatPrometheusAndTheHealthChecksUse() throws Exception {
        // given the rendered compose file and Prometheus' compose scrape configuration
        JsonNode compose = YAML.readTree(render());
        JsonNode scrape = YAML.readTree(ROOT.resolve("deploy/prometheus/prometheus-compose.yml").toFile());
        String healthcheckScript = Files.readString(ROOT.resolve("deploy/docker/Dockerfile"));

        for (String name : SERVICES) {
            JsonNode service = compose.at("/services/" + name);
            assertThat(service.isMissingNode()).as("%s rendered", name).isFalse();
            String apiPort = service.at("/environment/SERVER_PORT").asText();
            String managementPort = service.at("/environment/MANAGEMENT_SERVER_PORT").asText();

            // then the actuator has a port of its own: with none, Spring serves it on the API port
            assertThat(managementPort).as("%s: MANAGEMENT_SERVER_PORT", name).matches("[0-9]+")
                    .isNotEqualTo(apiPort);
            // and the host reaches the API port only, never the actuator
            List<String> published = containerPorts(service.path("ports"));
            assertThat(published).as("%s: container ports published on the host", name)
                    .isNotEmpty().containsOnly(apiPort).doesNotContain(managementPort);
            // and its health check asks the management port
            String check = String.join(" ", YAML.convertValue(service.at("/healthcheck/test"), List.class));
            if (check.contains("/usr/local/bin/healthcheck")) {
                assertThat(healthcheckScript).as("the image's health check script prefers the management port")
                        .contains("port=\"${MANAGEMENT_SERVER_PORT:-");
            } else {
                assertThat(check).as("%s: health check", name).contains(":" + managementPort + "/actuator/health");
            }
            // and Prometheus scrapes the management port, not the API port
            List<String> scraped = scrapedPorts(scrape, "city311-" + name, name);
            assertThat(scraped).as("%s: ports Prometheus scrapes", name).isNotEmpty().containsOnly(managementPort);
        }
    }

    @Test
    void shouldBelieveTheVisitorsAddressFromTheConsoleAlone() throws Exception {
        // given the rendered compose file: the console forwards a tracking visitor's address to request-service
        JsonNode compose = YAML.readTree(render());
        String console = compose.at("/services/console/networks/default/ipv4_address").asText();

        // then the console has a fixed address on the compose network, inside its subnet
        assertThat(console).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
        String subnet = compose.at("/networks/default/ipam/config/0/subnet").asText();
        assertThat(subnet).startsWith(console.substring(0, console.lastIndexOf('.') + 1));
        // and request-service believes X-Forwarded-For from that address only (each visitor gets their own rate
        // limit, and nobody else can claim another's)
        assertThat(compose.at("/services/request-service/environment/TRUSTED_PROXIES").asText())
                .isEqualTo(console + "/32");
    }

    @Test
    void shouldCopyEveryModulesPomIntoTheImageBuild() throws Exception {
        // given the reactor's modules, which Maven reads all of even when it builds one service
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(ROOT.resolve("pom.xml").toFile());
        NodeList modules = pom.getElementsByTagName("module");
        String dockerfile = Files.readString(ROOT.resolve("deploy/docker/Dockerfile"));

        // then the image build copies each one's pom, or it fails with a missing child module
        assertThat(modules.getLength()).isGreaterThan(0);
        for (int i = 0; i < modules.getLength(); i++) {
            String module = modules.item(i).getTextContent().strip();
            assertThat(dockerfile).as("deploy/docker/Dockerfile copies %s/pom.xml", module)
                    .contains("COPY " + module + "/pom.xml " + module + "/");
        }
    }

    @Test
    void shouldImportARealmWithThePlatformsRolesAndClaimsAndNoPasswords() throws Exception {
        // given the realm file Keycloak imports at its first start
        JsonNode realm = new ObjectMapper().readTree(ROOT.resolve("deploy/keycloak/city311-realm.json").toFile());

        // then it is the realm city311, with a realm role per people's role and public-reader
        assertThat(realm.path("realm").asText()).isEqualTo("city311");
        List<String> expectedRoles = new ArrayList<>();
        for (Role role : Role.PEOPLE) {
            expectedRoles.add(role.claim());
        }
        expectedRoles.add(Role.PUBLIC_READER.claim());
        assertThat(realm.at("/roles/realm").findValuesAsText("name")).containsExactlyInAnyOrderElementsOf(expectedRoles);

        // and the console signs people in: confidential, standard flow with PKCE, its secret from the environment
        JsonNode console = client(realm, "city311-console");
        assertThat(console.path("publicClient").asBoolean(true)).isFalse();
        assertThat(console.path("standardFlowEnabled").asBoolean()).isTrue();
        assertThat(console.path("directAccessGrantsEnabled").asBoolean(true)).isFalse();
        assertThat(console.path("implicitFlowEnabled").asBoolean(true)).isFalse();
        assertThat(console.at("/attributes/pkce.code.challenge.method").asText()).isEqualTo("S256");
        assertThat(console.path("secret").asText()).isEqualTo("${CONSOLE_CLIENT_SECRET}");
        assertThat(console.path("redirectUris").get(0).asText()).isEqualTo("${CONSOLE_URL}/login/oauth2/code/city311");
        // and its tokens carry what the services read: roles (a list), department, team, the platform's audience
        assertThat(mapper(console, "oidc-usermodel-realm-role-mapper").path("claim.name").asText()).isEqualTo("roles");
        assertThat(mapper(console, "oidc-usermodel-realm-role-mapper").path("multivalued").asText()).isEqualTo("true");
        assertThat(mapper(console, "oidc-usermodel-realm-role-mapper").path("id.token.claim").asText()).isEqualTo("true");
        for (String attribute : List.of("department", "team")) {
            JsonNode claim = attributeMapper(console, attribute);
            assertThat(claim.path("claim.name").asText()).isEqualTo(attribute);
            assertThat(claim.path("access.token.claim").asText()).isEqualTo("true");
            assertThat(claim.path("multivalued").asText()).isEqualTo("false");
        }
        assertThat(mapper(console, "oidc-audience-mapper").path("included.custom.audience").asText())
                .isEqualTo("city311");
        for (String claimMapper : List.of("oidc-usermodel-realm-role-mapper", "oidc-audience-mapper")) {
            assertThat(mapper(console, claimMapper).path("access.token.claim").asText()).as(claimMapper).isEqualTo("true");
        }

        // and the console's public client is a service account with public-reader only, and the same claims
        JsonNode publicPages = client(realm, "city311-console-public");
        assertThat(publicPages.path("serviceAccountsEnabled").asBoolean()).isTrue();
        assertThat(publicPages.path("standardFlowEnabled").asBoolean(true)).isFalse();
        assertThat(publicPages.path("secret").asText()).isEqualTo("${CONSOLE_PUBLIC_CLIENT_SECRET}");
        assertThat(mapper(publicPages, "oidc-usermodel-realm-role-mapper").path("claim.name").asText()).isEqualTo("roles");
        assertThat(mapper(publicPages, "oidc-audience-mapper").path("included.custom.audience").asText())
                .isEqualTo("city311");
        JsonNode serviceAccount = null;
        for (JsonNode user : realm.path("users")) {
            // and no user brings a password (the city adds its people, or federates its directory)
            assertThat(user.has("credentials")).as("user %s has credentials", user.path("username")).isFalse();
            if (user.path("serviceAccountClientId").asText().equals("city311-console-public")) {
                serviceAccount = user;
            }
        }
        assertThat(serviceAccount).as("the public client's service account").isNotNull();
        assertThat(YAML.convertValue(serviceAccount.path("realmRoles"), List.class)).containsExactly("public-reader");

        // and department and team are declared user attributes that only an admin may set (a user never picks
        // their own)
        JsonNode profile = new ObjectMapper().readTree(realm
                .at("/components/org.keycloak.userprofile.UserProfileProvider/0/config/kc.user.profile.config/0")
                .asText());
        for (String name : List.of("department", "team")) {
            JsonNode declared = null;
            for (JsonNode attribute : profile.path("attributes")) {
                if (attribute.path("name").asText().equals(name)) {
                    declared = attribute;
                }
            }
            assertThat(declared).as("the %s attribute", name).isNotNull();
            assertThat(YAML.convertValue(declared.at("/permissions/edit"), List.class)).as(name)
                    .containsExactly("admin");
        }
    }

    @Test
    void shouldGiveBrowsersAndServicesOneKeycloakAddressSoBothSeeOneIssuer() throws Exception {
        // given the rendered compose file
        JsonNode compose = YAML.readTree(render());
        JsonNode keycloak = compose.at("/services/keycloak");
        String hostname = keycloak.at("/environment/KC_HOSTNAME").asText();
        java.net.URI address = java.net.URI.create(hostname);

        // then every service expects the realm's issuer under that address
        for (String name : SERVICES) {
            assertThat(compose.at("/services/" + name + "/environment/JWT_ISSUER_URI").asText()).as(name)
                    .isEqualTo(hostname + "/realms/city311");
        }
        // and inside the compose network that name is Keycloak itself, on the port it listens on and publishes
        assertThat(YAML.convertValue(keycloak.at("/networks/default/aliases"), List.class)).contains(address.getHost());
        assertThat(keycloak.at("/environment/KC_HTTP_PORT").asText()).isEqualTo(String.valueOf(address.getPort()));
        assertThat(containerPorts(keycloak.path("ports"))).containsExactly(String.valueOf(address.getPort()));
        // and the realm file is what it imports
        assertThat(keycloak.path("volumes").toString())
                .contains("deploy/keycloak/city311-realm.json:/opt/keycloak/data/import/city311-realm.json");
    }

    private static JsonNode client(JsonNode realm, String clientId) {
        for (JsonNode client : realm.path("clients")) {
            if (client.path("clientId").asText().equals(clientId)) {
                return client;
            }
        }
        throw new AssertionError("no client " + clientId);
    }

    /** The config of the client's one mapper of a user attribute to a claim. */
    private static JsonNode attributeMapper(JsonNode client, String attribute) {
        return mapper(client, "oidc-usermodel-attribute-mapper",
                config -> config.path("user.attribute").asText().equals(attribute));
    }

    /** The config of the client's one protocol mapper of this kind. */
    private static JsonNode mapper(JsonNode client, String kind) {
        return mapper(client, kind, config -> true);
    }

    private static JsonNode mapper(JsonNode client, String kind, java.util.function.Predicate<JsonNode> config) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode mapper : client.path("protocolMappers")) {
            if (mapper.path("protocolMapper").asText().equals(kind) && config.test(mapper.path("config"))) {
                found.add(mapper.path("config"));
            }
        }
        assertThat(found).as("%s mappers of %s", kind, client.path("clientId")).hasSize(1);
        return found.get(0);
    }

    /** The container side of each {@code ports} entry, in either form docker-compose renders. */
    private static List<String> containerPorts(JsonNode ports) {
        List<String> targets = new ArrayList<>();
        for (JsonNode port : ports) {
            if (port.isObject()) {
                targets.add(port.path("target").asText());
            } else {
                String spec = port.asText().replaceFirst("/[a-z]+$", "");
                targets.add(spec.substring(spec.lastIndexOf(':') + 1));
            }
        }
        return targets;
    }

    /** The ports of every target of the job: static targets ({@code host:port}) and DNS discovery's port. */
    private static List<String> scrapedPorts(JsonNode scrape, String job, String host) {
        List<String> ports = new ArrayList<>();
        for (JsonNode config : scrape.path("scrape_configs")) {
            if (!config.path("job_name").asText().equals(job)) {
                continue;
            }
            assertThat(config.path("metrics_path").asText()).as("%s: metrics path", job)
                    .isEqualTo("/actuator/prometheus");
            for (JsonNode staticConfig : config.path("static_configs")) {
                for (JsonNode target : staticConfig.path("targets")) {
                    assertThat(target.asText()).as("%s: target", job).startsWith(host + ":");
                    ports.add(target.asText().substring(target.asText().lastIndexOf(':') + 1));
                }
            }
            for (JsonNode dns : config.path("dns_sd_configs")) {
                assertThat(YAML.convertValue(dns.path("names"), List.class)).as("%s: DNS names", job)
                        .containsExactly(host);
                ports.add(dns.path("port").asText());
            }
        }
        return ports;
    }

    /** docker-compose.yml as {@code docker-compose config} renders it (validated on the way). */
    private static String render() throws Exception {
        boolean present = Stream.of(System.getenv("PATH").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "docker-compose")));
        if (!present && Boolean.parseBoolean(System.getenv("CITY311_REQUIRE_DOCKER_COMPOSE"))) {
            throw new AssertionError("docker-compose is required here but not on the PATH: apt-get install docker-compose");
        }
        assumeTrue(present, "docker-compose not on the PATH: docker-compose.yml not checked here");

        Process process = new ProcessBuilder(List.of("docker-compose", "-f", "docker-compose.yml", "config"))
                .directory(ROOT.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String rendered = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as("docker-compose config (its errors are above):%n%s", rendered).isZero();
        return rendered;
    }
}
