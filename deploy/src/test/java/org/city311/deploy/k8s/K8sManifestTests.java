package org.city311.deploy.k8s;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Kubernetes manifests ({@code deploy/k8s}), checked without a cluster: each overlay is rendered with
 * {@code kubectl kustomize}, every standard object is read into the Kubernetes API's own types (fabric8's model:
 * a misspelt or misplaced field, a string where a number belongs, fails), and the rendered objects keep what
 * production relies on: probes, limits, a disruption budget and an autoscaler for every Deployment, replication 3
 * for every topic the services use, actuator reachable only by Prometheus. Where kubectl is missing the rendering
 * tests are skipped with a notice ({@code CITY311_REQUIRE_KUBECTL=true} makes that a failure); the copies of the
 * rules, dashboards and catalog are checked everywhere.
 */
class K8sManifestTests {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path K8S = ROOT.resolve("deploy/k8s");
    private static final ObjectMapper YAML = YAMLMapper.builder().build();
    /** Strict where fabric8's types allow it; unknown fields are caught by {@link #unknownFields}. */
    private static final ObjectMapper KUBERNETES = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private static final String CONSOLE = "console";
    private static final List<String> SERVICES = List.of("request-service", "routing-service", "feedback-service",
            "metrics-service");
    private static final Map<String, Class<?>> TYPES = Map.of(
            "Deployment", Deployment.class, "Service", Service.class, "ServiceAccount", ServiceAccount.class,
            "ConfigMap", ConfigMap.class, "Secret", Secret.class, "Namespace", Namespace.class,
            "PodDisruptionBudget", PodDisruptionBudget.class, "HorizontalPodAutoscaler",
            HorizontalPodAutoscaler.class, "NetworkPolicy", NetworkPolicy.class, "Ingress", Ingress.class);

    private static boolean kubectl;

    @BeforeAll
    static void findKubectl() {
        kubectl = Stream.of(System.getenv("PATH").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "kubectl")));
        if (!kubectl && Boolean.parseBoolean(System.getenv("CITY311_REQUIRE_KUBECTL"))) {
            throw new AssertionError("kubectl is required here but not on the PATH");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "overlays/dev", "overlays/prod", "prod with keda-lag-scaling" })
    void shouldRenderObjectsTheKubernetesApiAccepts(String variant) throws Exception {
        List<JsonNode> objects = render(variant);
        assertThat(objects).hasSizeGreaterThan(40);
        int checked = 0;
        for (JsonNode object : objects) {
            Class<?> type = TYPES.get(object.path("kind").asText());
            if (type == null) {
                continue; // custom resources: their operators' schemas are not on Maven Central; invariants below
            }
            Object typed = KUBERNETES.treeToValue(object, type);
            assertThat(unknownFields(typed, object.path("kind").asText() + "/" + object.at("/metadata/name")
                    .asText())).as("fields the Kubernetes API does not know").isEmpty();
            if (!object.path("kind").asText().equals("Namespace")) {
                assertThat(object.at("/metadata/namespace").asText()).as("namespace of %s", name(object))
                        .startsWith("city311");
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(25);
    }

    @ParameterizedTest
    @ValueSource(strings = { "overlays/dev", "overlays/prod", "prod with keda-lag-scaling" })
    void shouldGiveEveryDeploymentProbesLimitsADisruptionBudgetAndAnAutoscaler(String variant) throws Exception {
        List<JsonNode> objects = render(variant);
        List<JsonNode> deployments = ofKind(objects, "Deployment");
        assertThat(deployments).extracting(K8sManifestTests::name).containsExactlyInAnyOrderElementsOf(
                Stream.concat(SERVICES.stream(), Stream.of(CONSOLE)).toList());
        for (JsonNode deployment : deployments) {
            String name = name(deployment);
            JsonNode pod = deployment.at("/spec/template");
            JsonNode container = pod.at("/spec/containers/0");
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                assertThat(container.at("/" + probe + "/httpGet/port").asText()).as("%s %s", name, probe)
                        .isEqualTo("management");
                assertThat(container.at("/" + probe + "/httpGet/path").asText()).as("%s %s", name, probe)
                        .startsWith("/actuator/health/");
            }
            assertThat(container.at("/livenessProbe/httpGet/path").asText()).as("%s: liveness must not depend on "
                    + "Kafka or MongoDB", name).isEqualTo("/actuator/health/liveness");
            assertThat(container.at("/resources/limits/memory").asText()).as("%s memory limit", name).isNotEmpty();
            assertThat(container.at("/resources/requests/memory").asText()).as("%s memory request", name)
                    .isNotEmpty();
            assertThat(container.at("/resources/requests/cpu").asText()).as("%s cpu request", name).isNotEmpty();
            assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).as(name).isTrue();
            assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).as(name).isFalse();
            assertThat(pod.at("/spec/securityContext/runAsNonRoot").asBoolean()).as(name).isTrue();
            assertThat(container.at("/lifecycle/preStop").isMissingNode()).as("%s preStop", name).isFalse();
            assertThat(pod.at("/spec/terminationGracePeriodSeconds").asInt()).as("%s: preStop 10 s + Spring's "
                    + "shutdown phases", name).isGreaterThanOrEqualTo(40);
            assertThat(container.path("envFrom").toString()).as(name).contains("city311-config");
            if (name.equals(CONSOLE)) {
                // the console keeps no data: no MongoDB; its two client secrets come from its own Secret
                assertThat(container.path("env").toString()).as(name).doesNotContain("MONGODB_URI")
                        .contains("\"name\":\"city311-console\"", "client-secret", "public-client-secret");
            }
            else {
                JsonNode mongoUri = null;
                for (JsonNode variable : container.path("env")) {
                    if (variable.path("name").asText().equals("MONGODB_URI")) {
                        mongoUri = variable.at("/valueFrom/secretKeyRef");
                    }
                }
                assertThat(mongoUri).as("%s reads MONGODB_URI from a Secret", name).isNotNull();
                assertThat(mongoUri.path("name").asText()).as(name).startsWith("city311-mongodb");
                assertThat(mongoUri.path("key").asText()).as(name).isEqualTo("uri");
            }

            Map<String, String> podLabels = labels(pod.at("/metadata/labels"));
            assertThat(ofKind(objects, "PodDisruptionBudget")).as("%s: a PodDisruptionBudget", name)
                    .anyMatch(pdb -> selects(pdb.at("/spec/selector/matchLabels"), podLabels));
            // a consumer group spreads over the partitions: more replicas than those would idle (not the console's)
            boolean hpa = ofKind(objects, "HorizontalPodAutoscaler").stream()
                    .anyMatch(autoscaler -> autoscaler.at("/spec/scaleTargetRef/name").asText().equals(name)
                            && (name.equals(CONSOLE) || autoscaler.at("/spec/maxReplicas").asInt() <= partitions(objects)));
            boolean keda = ofKind(objects, "ScaledObject").stream()
                    .anyMatch(scaled -> scaled.at("/spec/scaleTargetRef/name").asText().equals(name)
                            && scaled.at("/spec/maxReplicaCount").asInt() <= partitions(objects));
            assertThat(hpa ^ keda).as("%s: exactly one autoscaler, at most one replica per partition", name)
                    .isTrue();
            assertThat(ofKind(objects, "Service")).as("%s: a Service with its job label and a management port",
                    name).anyMatch(service -> name(service).equals(name)
                            && service.at("/metadata/labels/city311-job").asText().equals("city311-" + name)
                            && service.at("/spec/ports").toString().contains("\"name\":\"management\""));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "overlays/dev", "overlays/prod" })
    void shouldReplicateEveryTopicTheServicesUseThreeTimes(String variant) throws Exception {
        List<JsonNode> objects = render(variant);
        Map<String, JsonNode> topics = ofKind(objects, "KafkaTopic").stream()
                .collect(Collectors.toMap(topic -> topic.at("/spec/topicName").asText(), topic -> topic));
        assertThat(topics.keySet()).as("every topic the services bind, and each consumer's dead-letter topic")
                .containsAll(topicsTheServicesUse());
        for (JsonNode topic : topics.values()) {
            assertThat(topic.at("/spec/replicas").asInt()).as(name(topic)).isEqualTo(3);
            assertThat(topic.at("/spec/config/min.insync.replicas").asInt()).as(name(topic)).isEqualTo(2);
        }
        // co-partitioned for metrics-service, and what the binder is told to expect
        assertThat(Stream.of("city311.requests", "city311.routing", "city311.feedback")
                .map(name -> topics.get(name).at("/spec/partitions").asInt()).distinct())
                .containsExactly(partitions(objects));
        JsonNode config = ofKind(objects, "ConfigMap").stream()
                .filter(map -> name(map).startsWith("city311-config")).findFirst().orElseThrow();
        assertThat(config.at("/data/KAFKA_REPLICATION_FACTOR").asText()).isEqualTo("3");

        JsonNode kafka = ofKind(objects, "Kafka").get(0);
        assertThat(kafka.at("/spec/kafka/config/default.replication.factor").asInt()).isEqualTo(3);
        assertThat(kafka.at("/spec/kafka/config/min.insync.replicas").asInt()).isEqualTo(2);
        assertThat(kafka.at("/spec/kafka/config/auto.create.topics.enable").asBoolean(true)).isFalse();
        assertThat(ofKind(objects, "KafkaNodePool")).as("3 KRaft nodes, brokers and controllers")
                .allSatisfy(pool -> {
                    assertThat(pool.at("/spec/replicas").asInt()).isEqualTo(3);
                    assertThat(pool.at("/spec/roles").toString()).contains("controller", "broker");
                });
        JsonNode mongo = ofKind(objects, "MongoDBCommunity").get(0);
        assertThat(mongo.at("/spec/members").asInt()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = { "overlays/dev", "overlays/prod" })
    void shouldLetOnlyPrometheusReachTheActuatorAndOnlyTheIngressReachTheApis(String variant) throws Exception {
        List<JsonNode> objects = render(variant);
        List<JsonNode> policies = ofKind(objects, "NetworkPolicy");
        assertThat(policies).as("a default deny").anyMatch(policy -> policy.at("/spec/podSelector").isEmpty()
                && policy.at("/spec/ingress").isMissingNode());
        Map<String, String> config = new HashMap<>();
        ofKind(objects, "ConfigMap").stream().filter(map -> name(map).startsWith("city311-config"))
                .forEach(map -> map.path("data").properties().forEach(e -> config.put(e.getKey(),
                        e.getValue().asText())));
        assertThat(config.get("MANAGEMENT_SERVER_PORT")).as("actuator on a port of its own").isEqualTo("9090");
        // X-Forwarded-For is believed from the ingress controller's pods, which alone (with feedback-service) reach
        // the APIs below; Spring's own forwarded-header support would believe anyone
        assertThat(config.get("TRUSTED_PROXIES")).as("the ingress controller's range, as CIDRs")
                .matches("[0-9A-Fa-f:.]+/\\d{1,3}(,[0-9A-Fa-f:.]+/\\d{1,3})*");
        assertThat(config).doesNotContainKey("SERVER_FORWARD_HEADERS_STRATEGY");
        for (JsonNode policy : policies) {
            for (JsonNode rule : policy.at("/spec/ingress")) {
                Set<String> ports = new HashSet<>();
                rule.path("ports").forEach(port -> ports.add(port.path("port").asText()));
                String peers = rule.path("from").toString();
                if (ports.contains("management")) {
                    assertThat(peers).as("%s: management only from Prometheus", name(policy))
                            .contains("\"kubernetes.io/metadata.name\":\"monitoring\"")
                            .contains("\"app.kubernetes.io/name\":\"prometheus\"");
                }
                if (ports.contains("http")) {
                    assertThat(peers).as("%s: the APIs from the ingress or the console, or request-service from "
                            + "feedback-service", name(policy)).containsAnyOf(
                                    "\"kubernetes.io/metadata.name\":\"ingress-nginx\"",
                                    "\"app.kubernetes.io/name\":\"feedback-service\"",
                                    "\"app.kubernetes.io/name\":\"console\"");
                }
                assertThat(ports).as("%s: every rule names its ports", name(policy)).isNotEmpty();
            }
        }
        Map<String, String> publicPaths = new HashMap<>();
        ofKind(objects, "Ingress").stream().filter(ingress -> name(ingress).equals("city311-public"))
                .forEach(ingress -> ingress.at("/spec/rules/0/http/paths").forEach(path -> publicPaths.put(
                        path.path("path").asText(), path.at("/backend/service/name").asText())));
        assertThat(publicPaths).containsEntry("/open311", "request-service").containsEntry("/surveys",
                "feedback-service").doesNotContainKey("/actuator");
        assertThat(ofKind(objects, "Ingress")).as("no ingress routes the actuator").allSatisfy(ingress ->
                assertThat(ingress.at("/spec/rules").findValuesAsText("path")).noneMatch(path ->
                        path.startsWith("/actuator")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "overlays/dev", "overlays/prod" })
    void shouldServeTheConsoleBesideTheApisOnEachHostAndScrapeIt(String variant) throws Exception {
        List<JsonNode> objects = render(variant);
        Map<String, JsonNode> ingresses = new HashMap<>();
        ofKind(objects, "Ingress").forEach(ingress -> ingresses.put(name(ingress), ingress));

        // the console's staff pages on the staff APIs' host, kept to the same networks with the same TLS; its
        // public pages on the public host, with its front door
        for (String[] pair : List.of(new String[] { "city311-console-staff", "city311-staff" },
                new String[] { "city311-console-public", "city311-public" })) {
            JsonNode console = ingresses.get(pair[0]);
            JsonNode apis = ingresses.get(pair[1]);
            assertThat(console).as(pair[0]).isNotNull();
            assertThat(console.at("/spec/rules/0/host").asText()).as(pair[0])
                    .isEqualTo(apis.at("/spec/rules/0/host").asText());
            assertThat(console.at("/spec/tls").toString()).as("%s: TLS as %s", pair[0], pair[1])
                    .isEqualTo(apis.at("/spec/tls").toString());
            String whitelist = "/metadata/annotations/nginx.ingress.kubernetes.io~1whitelist-source-range";
            assertThat(console.at(whitelist).asText()).as("%s: the networks of %s", pair[0], pair[1])
                    .isEqualTo(apis.at(whitelist).asText());
        }
        if (variant.equals("overlays/prod")) {
            assertThat(ingresses.get("city311-console-staff").at("/metadata/annotations").toString())
                    .contains("whitelist-source-range");
        }
        assertThat(ingresses.get("city311-console-public").at("/spec/rules/0/http/paths").toString())
                .contains("\"path\":\"/\",\"pathType\":\"Exact\"", "\"path\":\"/departments\"",
                        "\"path\":\"/track\"")
                .doesNotContain("\"path\":\"/call\"", "\"path\":\"/queue\"");
        // and its "Staff sign-in" link, on the public host, goes to the staff host
        Map<String, String> config = new HashMap<>();
        ofKind(objects, "ConfigMap").stream().filter(map -> name(map).startsWith("city311-config"))
                .forEach(map -> map.path("data").properties().forEach(e -> config.put(e.getKey(),
                        e.getValue().asText())));
        assertThat(config.get("CONSOLE_STAFF_URL")).isEqualTo("https://"
                + ingresses.get("city311-console-staff").at("/spec/rules/0/host").asText());

        // and Prometheus scrapes the console's management port like the services'
        assertThat(ofKind(objects, "ServiceMonitor").toString()).contains("\"" + CONSOLE + "\"");
        assertThat(ofKind(objects, "NetworkPolicy").stream().filter(policy -> name(policy)
                .equals("actuator-from-prometheus")).findFirst().orElseThrow().toString()).contains("\"" + CONSOLE + "\"");
        // and every image, the console's too, comes from the overlay's registry and tag
        for (JsonNode deployment : ofKind(objects, "Deployment")) {
            String image = deployment.at("/spec/template/spec/containers/0/image").asText();
            assertThat(image).as(name(deployment)).endsWith(variant.equals("overlays/prod") ? ":0.1.0" : ":dev");
        }
    }

    @Test
    void shouldCarryTheSameRulesDashboardsAndCatalogAsTheirSources() throws IOException {
        JsonNode rule = YAML.readTree(K8S.resolve("base/monitoring/prometheus-rule.yaml").toFile());
        ArrayNode groups = YAML.createArrayNode();
        for (String file : List.of("service-levels.rules.yml", "alerts.rules.yml")) {
            groups.addAll((ArrayNode) YAML.readTree(ROOT.resolve("deploy/prometheus/rules/" + file).toFile())
                    .path("groups"));
        }
        assertThat(rule.at("/spec/groups")).as("the PrometheusRule's groups are deploy/prometheus/rules' "
                + "(run deploy/k8s/sync.sh)").isEqualTo(groups);
        for (String dashboard : List.of("city311-operations.json", "city311-department.json")) {
            assertThat(K8S.resolve("base/monitoring/dashboards/" + dashboard)).as("run deploy/k8s/sync.sh")
                    .hasSameBinaryContentAs(ROOT.resolve("deploy/grafana/dashboards/" + dashboard));
        }
        for (String catalog : List.of("sample-city.yml", "sample-city-districts.geojson")) {
            assertThat(K8S.resolve("base/catalog/" + catalog)).as("run deploy/k8s/sync.sh")
                    .hasSameBinaryContentAs(ROOT.resolve("routing-service/src/main/resources/catalog/" + catalog));
        }
    }

    // --- rendering ---------------------------------------------------------------------------------------

    private static final Map<String, List<JsonNode>> RENDERED = new HashMap<>();

    private static synchronized List<JsonNode> render(String variant) throws Exception {
        assumeTrue(kubectl, "kubectl not on the PATH: the overlays are not rendered here");
        if (RENDERED.containsKey(variant)) {
            return RENDERED.get(variant);
        }
        Path directory = K8S.resolve(variant);
        if (variant.contains("keda")) {
            // an overlay of the prod overlay with the component, as a city would write it
            directory = ROOT.resolve("deploy/target/k8s-prod-keda");
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("kustomization.yaml"), """
                    apiVersion: kustomize.config.k8s.io/v1beta1
                    kind: Kustomization
                    resources: [../../k8s/overlays/prod]
                    components: [../../k8s/components/keda-lag-scaling]
                    """);
        }
        Process process = new ProcessBuilder(List.of("kubectl", "kustomize", directory.toString()))
                .redirectErrorStream(false).start();
        byte[] out = process.getInputStream().readAllBytes();
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as("kubectl kustomize %s: %s", variant, errors).isZero();
        List<JsonNode> objects = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(out)) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(node -> {
                if (node != null && !node.isEmpty()) {
                    objects.add(node);
                }
            });
        }
        RENDERED.put(variant, objects);
        return objects;
    }

    private static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
        return objects.stream().filter(object -> object.path("kind").asText().equals(kind)).toList();
    }

    private static String name(JsonNode object) {
        return object.at("/metadata/name").asText();
    }

    private static Map<String, String> labels(JsonNode labels) {
        Map<String, String> map = new HashMap<>();
        labels.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static boolean selects(JsonNode matchLabels, Map<String, String> podLabels) {
        return !matchLabels.isEmpty() && labels(matchLabels).entrySet().stream()
                .allMatch(e -> e.getValue().equals(podLabels.get(e.getKey())));
    }

    private static int partitions(List<JsonNode> objects) {
        return ofKind(objects, "KafkaTopic").stream()
                .filter(topic -> topic.at("/spec/topicName").asText().equals("city311.requests"))
                .findFirst().orElseThrow().at("/spec/partitions").asInt();
    }

    /**
     * Every topic an input binding of a service reads, and its dead-letter topic (the binding's {@code dlq-name}, or
     * else {@code <topic>.dlq.<group>}), from the services' own application.yml.
     */
    private static Set<String> topicsTheServicesUse() throws IOException {
        Set<String> topics = new TreeSet<>();
        for (String service : SERVICES) {
            JsonNode config = YAML.readTree(ROOT.resolve(service + "/src/main/resources/application.yml").toFile());
            config.at("/spring/cloud/stream/bindings").fields().forEachRemaining(named -> {
                JsonNode binding = named.getValue();
                if (binding.hasNonNull("group")) {
                    JsonNode dlqName = config.at("/spring/cloud/stream/kafka/bindings/" + named.getKey()
                            + "/consumer/dlq-name");
                    for (String topic : binding.path("destination").asText().split(",")) {
                        topics.add(topic.strip());
                        topics.add(dlqName.isTextual() ? dlqName.asText()
                                : topic.strip() + ".dlq." + binding.path("group").asText());
                    }
                }
            });
        }
        assertThat(topics).as("bindings found in the services' application.yml").hasSizeGreaterThan(8);
        return topics;
    }

    /** Paths of fields the typed model did not recognise (they land in fabric8's additionalProperties). */
    private static List<String> unknownFields(Object value, String path) {
        List<String> unknown = new ArrayList<>();
        if (value == null) {
            return unknown;
        }
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                unknown.addAll(unknownFields(list.get(i), path + "[" + i + "]"));
            }
            return unknown;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, entry) -> unknown.addAll(unknownFields(entry, path + "." + key)));
            return unknown;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return unknown;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            }
            catch (ReflectiveOperationException ex) {
                throw new IllegalStateException(ex);
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
                continue;
            }
            unknown.addAll(unknownFields(field, path + "." + getter.getName().substring(3)));
        }
        return unknown;
    }
}
