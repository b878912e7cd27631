package org.city311.routing.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.city311.contracts.EventContract;
import org.city311.platform.security.Role;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.TestTokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public catalog as the console reads it for its public pages (role {@code public-reader}) and as the city's
 * people read it: the districts for maps, the departments' pages, and who may read what.
 */
@ServiceIntegrationTest
// a context of its own: one shared with a class that ran earlier would be resumed, and its consumers rejoin slowly
@TestPropertySource(properties = "city311.test.context=catalog-api")
@EmbeddedKafka(partitions = 1, topics = { "city311.requests", "city311.routing", "city311.feedback", "city311.catalog" })
class CatalogApiIntegrationTests {

    /** Where routing-service keeps a request's work (WorkController.WORK, package-private there). */
    private static final String WORK = "/api/work";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String NONE = "";
    private static final String PUBLIC_READER = TestTokens.only(Role.PUBLIC_READER);
    private static final String STAFF = TestTokens.staff("staff.amy");
    private static final String AGENT_DOT = TestTokens.agent("transportation");
    private static final String SUPERVISOR_DOT = TestTokens.supervisor("transportation");
    private static final String AUDITOR = TestTokens.only(Role.AUDITOR);
    private static final String OPS = TestTokens.only(Role.OPS);
    private static final String ADMIN = TestTokens.only(Role.ADMIN);
    private static final String SURVEY_SENDER = TestTokens.only(Role.SURVEY_SENDER);
    /** A valid token that gives no role at all. */
    private static final String NO_ROLE = TestTokens.bearer("visitor", null);
    private static final Map<String, String> NAMES = Map.of(NONE, "nobody", PUBLIC_READER, "public-reader",
            STAFF, "staff", AGENT_DOT, "transportation agent", SUPERVISOR_DOT, "transportation supervisor",
            AUDITOR, "auditor", OPS, "ops", ADMIN, "admin", SURVEY_SENDER, "survey-sender", NO_ROLE, "no role");

    @Autowired
    WebTestClient web;

    @Autowired
    ServiceCatalog catalog;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Test
    void shouldGiveEveryDistrictOfTheCatalogWithItsGeometryAsGeoJson() throws IOException {
        // given the districts file of the catalog in force
        JsonNode file;
        try (InputStream in = getClass().getResourceAsStream("/catalog/sample-city-districts.geojson")) {
            file = JSON.readTree(in);
        }

        // when the console asks for them, to draw its map
        EntityExchangeResult<byte[]> answer = web.get().uri("/api/catalog/districts")
                .header(HttpHeaders.AUTHORIZATION, PUBLIC_READER).exchange()
                .expectStatus().isOk()
                .expectHeader().contentType("application/geo+json")
                .expectHeader().cacheControl(CacheControl.maxAge(Duration.ofMinutes(5)))
                .expectHeader().valueEquals("X-Catalog-Version", catalog.current().catalogVersion())
                .expectBody().returnResult();
        JsonNode collection = JSON.readTree(answer.getResponseBody());

        // then it is one FeatureCollection with every district of the catalog, with its geometry as the file has it
        assertThat(collection.path("type").asString()).isEqualTo("FeatureCollection");
        Map<String, JsonNode> features = new LinkedHashMap<>();
        collection.path("features").forEach(feature -> features.put(feature.at("/properties/code").asString(),
                feature));
        assertThat(features.keySet()).containsExactlyElementsOf(catalog.current().districtMap().stream()
                .map(Catalog.District::code).toList()).hasSize(6);
        file.path("features").forEach(written -> {
            JsonNode served = features.get(written.at("/properties/code").asString());
            assertThat(served.path("type").asString()).isEqualTo("Feature");
            assertThat(served.path("geometry")).as(written.at("/properties/code").asString())
                    .isEqualTo(written.path("geometry"));
            assertThat(served.at("/properties/name").asString()).isEqualTo(written.at("/properties/name").asString());
        });

        // and each says which departments take some services' requests inside it: Parks in Central Park
        assertThat(routing(features.get("central-park"))).containsExactly(
                "overflowing-litter-basket -> parks (Department of Parks and Recreation)",
                "streetlight-out -> parks (Department of Parks and Recreation)",
                "dead-animal -> parks (Department of Parks and Recreation)");
        assertThat(routing(features.get("manhattan"))).isEmpty();

        // and a client that has it already is told nothing changed
        String etag = answer.getResponseHeaders().getETag();
        assertThat(etag).isNotBlank();
        web.get().uri("/api/catalog/districts").header(HttpHeaders.AUTHORIZATION, PUBLIC_READER)
                .header(HttpHeaders.IF_NONE_MATCH, etag).exchange()
                .expectStatus().isNotModified()
                .expectBody().isEmpty();
    }

    @Test
    void shouldGiveEveryDepartmentWithItsBrochureAndHowItAssignsWorkToTheCityStaffOnly() {
        // given the departments of the catalog in force
        List<Catalog.Department> departments = catalog.current().departments();

        // when the console reads them for its public pages
        JsonNode list = get("/api/catalog/departments", PUBLIC_READER);

        // then each comes with what it publishes about itself, as the catalog has it
        assertThat(list).hasSize(departments.size());
        for (int i = 0; i < departments.size(); i++) {
            assertBrochure(list.get(i), departments.get(i));
            assertThat(list.get(i).has("agents")).as("agents of %s", departments.get(i).code()).isFalse();
            assertThat(list.get(i).has("assignment")).isFalse();
        }

        // and the city's people also see how each assigns its work, and to whom
        JsonNode sanitation = find(get("/api/catalog/departments", STAFF), "sanitation");
        assertBrochure(sanitation, catalog.current().department("sanitation").orElseThrow());
        assertThat(sanitation.path("assignment").asString()).isEqualTo("round-robin");
        assertThat(texts(sanitation.path("agents"))).containsExactly("d.okafor", "l.chen", "r.alvarez");
    }

    @Test
    void shouldGiveOneDepartmentsPageWithTheServicesItHandlesAndTheirPublishedStandards() {
        // when the console opens the Parks department's page
        JsonNode parks = get("/api/catalog/departments/parks", PUBLIC_READER);

        // then it has the department's brochure
        assertBrochure(parks, catalog.current().department("parks").orElseThrow());
        assertThat(parks.has("agents")).isFalse();

        // and every service it handles, with the standard it publishes for each
        List<Catalog.Service> handled = catalog.current().services().stream()
                .filter(service -> service.department().equals("parks")).toList();
        assertThat(handled).isNotEmpty();
        assertThat(parks.path("services")).hasSize(handled.size());
        for (int i = 0; i < handled.size(); i++) {
            JsonNode service = parks.path("services").get(i);
            Catalog.Service expected = handled.get(i);
            assertThat(service.path("code").asString()).isEqualTo(expected.code());
            assertThat(service.path("name").asString()).isEqualTo(expected.name());
            assertThat(service.at("/standard/firstAction/amount").asInt())
                    .isEqualTo(expected.standard().firstAction().amount());
            assertThat(service.at("/standard/firstAction/unit").asString())
                    .isEqualTo(expected.standard().firstAction().unit());
            assertThat(service.at("/standard/resolution/amount").asInt())
                    .isEqualTo(expected.standard().resolution().amount());
            assertThat(service.at("/standard/resolution/unit").asString())
                    .isEqualTo(expected.standard().resolution().unit());
        }

        // and what the rules send it of other departments' services: in Central Park, litter baskets and more
        List<String> alsoHandles = new ArrayList<>();
        parks.path("alsoHandles").forEach(part -> alsoHandles.add(part.path("service").asString() + " "
                + part.path("kind").asString() + " " + texts(part.path("districts"))));
        assertThat(alsoHandles).containsExactly("overflowing-litter-basket district [central-park]",
                "streetlight-out district [central-park]", "dead-animal district [central-park]");
        JsonNode housing = get("/api/catalog/departments/housing", STAFF);
        assertThat(housing.path("alsoHandles")).anySatisfy(part -> {
            assertThat(part.path("service").asString()).isEqualTo("water-leak");
            assertThat(part.path("attribute").asString()).isEqualTo("location");
            assertThat(texts(part.path("values"))).containsExactly("inside-building");
        });
        assertThat(texts(housing.path("agents"))).containsExactly("s.goldberg", "t.nguyen", "a.haddad");
    }

    @Test
    void shouldAnswerADepartmentTheCatalogDoesNotHaveWithANotFoundProblem() {
        web.get().uri("/api/catalog/departments/parkz").header(HttpHeaders.AUTHORIZATION, PUBLIC_READER).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("'parkz'"));
    }

    @Test
    void shouldShowABrochureAnAdministratorChangedOnceItIsInForce() {
        // given an administrator adds a question to Parks' page
        String sampleCity = sampleCity();
        String edited = sampleCity.replace("    faq:\n      - question: \"A tree limb is hanging",
                "    faq:\n      - question: \"Can I reserve a picnic area?\"\n"
                        + "        answer: \"Yes, from March to October, online.\"\n"
                        + "      - question: \"A tree limb is hanging");
        assertThat(edited).isNotEqualTo(sampleCity);
        try {
            web.put().uri("/api/catalog").header(HttpHeaders.AUTHORIZATION, ADMIN)
                    .contentType(MediaType.parseMediaType("application/yaml")).bodyValue(edited).exchange()
                    .expectStatus().isOk();

            // when the console reads Parks' page, then the question is its first
            JsonNode faq = get("/api/catalog/departments/parks", PUBLIC_READER).path("faq");
            assertThat(faq.get(0).path("question").asString()).isEqualTo("Can I reserve a picnic area?");
            assertThat(faq.get(0).path("answer").asString()).isEqualTo("Yes, from March to October, online.");
            assertThat(faq).hasSize(4);
        }
        finally {
            web.put().uri("/api/catalog").header(HttpHeaders.AUTHORIZATION, ADMIN)
                    .contentType(MediaType.parseMediaType("application/yaml")).bodyValue(sampleCity).exchange()
                    .expectStatus().isOk();
        }
    }

    @Test
    void shouldKeepTheBrochuresOffThePublishedCatalog() {
        // when the catalog in force is published
        ConsumerRecord<String, String> published = new KafkaTestClient(brokers).await("city311.catalog",
                record -> "catalog".equals(record.key()), Duration.ofSeconds(20));

        // then it names each department's mission and contact, as before, and nothing of their pages
        EventContract.assertValid(published.value());
        assertThat(published.value()).contains("\"mission\"", "\"contact\"")
                .doesNotContain("\"description\":\"Transportation", "\"faq\"", "\"skills\"", "\"facts\"",
                        "\"feedbackUrl\"", "\"openingHours\"", "\"agents\"");
    }

    @Test
    void shouldLetThePublicReaderReadThePublicCatalogAndNothingElse() {
        // given a request routed to Transportation
        String id = routed("pothole");

        // then the public catalog is open to the console's public pages and to every role people sign in with
        for (String path : List.of("/api/catalog/services", "/api/catalog/departments",
                "/api/catalog/departments/parks", "/api/catalog/districts", "/api/directory?q=pothole")) {
            expect(HttpMethod.GET, path, null, Map.of(PUBLIC_READER, 200, STAFF, 200, AGENT_DOT, 200,
                    SUPERVISOR_DOT, 200, AUDITOR, 200, OPS, 200, ADMIN, 200, NONE, 401, NO_ROLE, 403,
                    SURVEY_SENDER, 403));
        }

        // and nothing else is: the queues, the work and its actions, the catalog's text, the actuator
        Map<String, Object> note = Map.of("note", "Crew scheduled");
        expect(HttpMethod.GET, "/api/departments/transportation/queue", null, Map.of(PUBLIC_READER, 403,
                AGENT_DOT, 200));
        expect(HttpMethod.GET, WORK + "/" + id, null, Map.of(PUBLIC_READER, 403, AGENT_DOT, 200));
        for (String action : List.of("accept", "update", "hold", "resolve", "transfer", "reopen")) {
            expect(HttpMethod.POST, WORK + "/" + id + "/" + action, note, Map.of(PUBLIC_READER, 403));
        }
        assertThat(status(HttpMethod.GET, "/api/catalog", PUBLIC_READER, null, "application/yaml")).isEqualTo(403);
        assertThat(status(HttpMethod.PUT, "/api/catalog", PUBLIC_READER, "catalogVersion: x\n", "application/yaml"))
                .isEqualTo(403);
        expect(HttpMethod.GET, "/actuator/metrics", null, Map.of(PUBLIC_READER, 403));
        expect(HttpMethod.GET, "/api/catalog/departments/parks/agents", null, Map.of(PUBLIC_READER, 403));

        // and the request is as it was
        web.get().uri(WORK + "/{id}", id).header(HttpHeaders.AUTHORIZATION, ADMIN).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("routed").jsonPath("$.department")
                .isEqualTo("transportation");
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private static void assertBrochure(JsonNode served, Catalog.Department department) {
        String code = department.code();
        assertThat(served.path("code").asString()).isEqualTo(code);
        assertThat(served.path("name").asString()).as(code).isEqualTo(department.name());
        assertThat(served.path("mission").asString()).as(code).isEqualTo(department.mission());
        assertThat(served.path("description").asString()).as(code).isEqualTo(department.description()).isNotBlank();
        assertThat(served.at("/location/address").asString()).as(code).isEqualTo(department.location().address());
        assertThat(served.at("/location/openingHours").asString()).as(code)
                .isEqualTo(department.location().openingHours());
        assertThat(served.at("/contact/phone").asString()).as(code).isEqualTo(department.contact().phone());
        assertThat(served.at("/contact/email").asString()).as(code).isEqualTo(department.contact().email());
        assertThat(served.at("/contact/url").asString()).as(code).isEqualTo(department.contact().url());
        assertThat(texts(served.path("skills"))).as(code).isEqualTo(department.skills()).isNotEmpty();
        List<Catalog.Fact> facts = new ArrayList<>();
        served.path("facts").forEach(fact -> facts.add(new Catalog.Fact(fact.path("label").asString(),
                fact.path("value").asString())));
        assertThat(facts).as(code).isEqualTo(department.facts()).isNotEmpty();
        List<Catalog.Question> faq = new ArrayList<>();
        served.path("faq").forEach(question -> faq.add(new Catalog.Question(question.path("question").asString(),
                question.path("answer").asString())));
        assertThat(faq).as(code).isEqualTo(department.faq()).isNotEmpty();
        assertThat(served.path("feedbackUrl").asString()).as(code).isEqualTo(department.feedbackUrl());
        assertThat(served.at("/hours/timeZone").asString()).as(code).isEqualTo(department.hours().timeZone());
    }

    private static List<String> routing(JsonNode feature) {
        List<String> routing = new ArrayList<>();
        feature.at("/properties/routing").forEach(rule -> routing.add(rule.path("service").asString() + " -> "
                + rule.path("department").asString() + " (" + rule.path("departmentName").asString() + ")"));
        return routing;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asString()));
        return texts;
    }

    private static JsonNode find(JsonNode departments, String code) {
        for (JsonNode department : departments) {
            if (code.equals(department.path("code").asString())) {
                return department;
            }
        }
        throw new AssertionError("no department " + code);
    }

    private JsonNode get(String uri, String token) {
        byte[] body = web.get().uri(uri).header(HttpHeaders.AUTHORIZATION, token).exchange()
                .expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
        return JSON.readTree(body);
    }

    private static String sampleCity() {
        try (InputStream in = CatalogApiIntegrationTests.class.getResourceAsStream("/catalog/sample-city.yml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new AssertionError(ex);
        }
    }

    /** A new request for the service, once this service has published its routing. */
    private String routed(String serviceCode) {
        String id = "311-" + (10_000_000 + (int) (Math.random() * 89_999_999));
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        kafka.send("city311.requests", id, KafkaTestClient.example(EventContract.example(EventContract.REQUEST_CREATED), id)
                .replaceAll("\"serviceCode\"\\s*:\\s*\"[^\"]+\"", "\"serviceCode\": \"" + serviceCode + "\""));
        kafka.await("city311.routing", record -> id.equals(record.key()), Duration.ofSeconds(20));
        return id;
    }

    private void expect(HttpMethod method, String uri, Object body, Map<String, Integer> statusByToken) {
        statusByToken.forEach((token, status) -> assertThat(status(method, uri, token, body, null))
                .as("%s %s as %s", method, uri, NAMES.get(token)).isEqualTo(status));
    }

    private int status(HttpMethod method, String uri, String token, Object body, String type) {
        WebTestClient.RequestBodySpec request = web.method(method).uri(uri)
                .headers(headers -> headers.set(HttpHeaders.AUTHORIZATION, token.isEmpty() ? null : token));
        if (type != null) {
            request = request.header(HttpHeaders.ACCEPT, type);
        }
        WebTestClient.ResponseSpec response = body == null ? request.exchange()
                : request.contentType(type == null ? MediaType.APPLICATION_JSON : MediaType.parseMediaType(type))
                        .bodyValue(body).exchange();
        return response.returnResult(byte[].class).getStatus().value();
    }
}
