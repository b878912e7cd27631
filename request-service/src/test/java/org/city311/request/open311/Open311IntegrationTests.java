package org.city311.request.open311;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.city311.contracts.EventContract;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.TestClock;
import org.city311.request.CatalogFixture;
import org.city311.request.ServiceRequest;
import org.city311.request.catalog.ServiceCatalogCopy;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Open311 GeoReport v2 as an unmodified client uses it (FixMyStreet's Open311.pm, Code for America's libraries):
 * list services, read definitions, post requests with attributes, poll tokens, read requests and updates back,
 * in XML and JSON; and every refusal an error array, never a 5xx, never a stored request.
 */
@ServiceIntegrationTest
@TestPropertySource(properties = { "city311.open311.dev-api-key=" + Open311IntegrationTests.DEV_KEY,
        "city311.open311.token-wait=3s" })
class Open311IntegrationTests {

    static final String DEV_KEY = "dev-key-0123456789abcdefghij";
    private static final String XML = "text/xml; charset=utf-8";
    private static final String JSON = "application/json; charset=utf-8";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final JsonMapper json = JsonMapper.builder().build();

    @Autowired
    WebTestClient web;

    @Autowired
    ServiceCatalogCopy catalog;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Autowired
    Clock clock;

    @Autowired
    TestClock testClock;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @LocalServerPort
    int port;

    @BeforeEach
    void catalogPublishedByRoutingService() {
        CatalogFixture.published(catalog, brokers);
        if (catalog.current().service("graffiti").isEmpty()) {
            // routing-service publishes a newer catalog: a batch service whose questions use every datatype
            new KafkaTestClient(brokers).send("city311.catalog", "catalog", catalogWithGraffiti());
            await().atMost(Duration.ofSeconds(20)).until(() -> catalog.current().service("graffiti").isPresent());
        }
    }

    @Test
    void shouldListServicesInXmlAndJsonWithTheirTypeAndWhetherTheyHaveQuestions() {
        String xml = read("/open311/v2/services.xml?jurisdiction_id=samplecity.example", XML);
        Document services = parse(xml);

        assertThat(xml).startsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?><services><service>");
        assertThat(texts(services, "/services/service/service_code"))
                .containsExactly("other", "streetlight-out", "pothole", "heat-hot-water", "graffiti");
        assertThat(text(services, "/services/service[service_code='pothole']/metadata")).isEqualTo("true");
        assertThat(text(services, "/services/service[service_code='pothole']/type")).isEqualTo("realtime");
        assertThat(text(services, "/services/service[service_code='other']/metadata")).isEqualTo("false");
        assertThat(text(services, "/services/service[service_code='graffiti']/type")).isEqualTo("batch");
        assertThat(text(services, "/services/service[service_code='graffiti']/keywords")).isEqualTo("graffiti,tag,paint");
        assertThat(text(services, "/services/service[service_code='pothole']/group")).isEqualTo("Streets and sidewalks");

        List<Map<String, Object>> listed = list(read("/open311/v2/services.json", JSON));
        assertThat(listed).extracting(service -> service.get("service_code"))
                .containsExactly("other", "streetlight-out", "pothole", "heat-hot-water", "graffiti");
        assertThat(listed.get(2)).containsEntry("service_name", "Pothole").containsEntry("metadata", true)
                .containsEntry("type", "realtime").containsEntry("description", "A hole in the roadway.");
        assertThat(listed.get(0)).containsEntry("metadata", false).containsEntry("group", null);
        assertThat(listed.get(4)).containsEntry("type", "batch");
    }

    @Test
    void shouldDefineAttributesOfEveryDatatypeInOrderWithTheirValues() {
        Document definition = parse(read("/open311/v2/services/graffiti.xml", XML));

        assertThat(text(definition, "/service_definition/service_code")).isEqualTo("graffiti");
        assertThat(texts(definition, "//attribute/code"))
                .containsExactly("surface", "colours", "area", "seen", "words", "tag", "notice");
        assertThat(texts(definition, "//attribute/datatype")).containsExactly("singlevaluelist", "multivaluelist",
                "number", "datetime", "text", "string", "string");
        assertThat(texts(definition, "//attribute/order")).containsExactly("1", "2", "3", "4", "5", "6", "7");
        assertThat(texts(definition, "//attribute/required"))
                .containsExactly("true", "false", "false", "false", "false", "false", "false");
        assertThat(texts(definition, "//attribute/variable"))
                .containsExactly("true", "true", "true", "true", "true", "true", "false");
        assertThat(texts(definition, "//attribute/datatype_description")).hasSize(7).contains("", "A number, e.g. 2.5");
        assertThat(texts(definition, "//attribute[code='colours']/values/value/key"))
                .containsExactly("red", "black", "silver");
        assertThat(texts(definition, "//attribute[code='surface']/values/value/name"))
                .containsExactly("A wall", "A street sign");

        Map<String, Object> same = object(read("/open311/v2/services/graffiti.json", JSON));
        List<Map<String, Object>> attributes = listOf(same.get("attributes"));
        assertThat(attributes).extracting(attribute -> attribute.get("order")).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(attributes.get(0)).containsEntry("required", true).containsEntry("variable", true)
                .containsEntry("datatype_description", null)
                .containsEntry("values", List.of(Map.of("key", "wall", "name", "A wall"),
                        Map.of("key", "sign", "name", "A street sign")));
        assertThat(attributes.get(6)).containsEntry("variable", false).doesNotContainKey("values");
    }

    @Test
    void shouldFileFromAFormWithOrWithoutCharsetAndAnswerTheRequestId() {
        // given a client posting a street light with both list forms, a photo and the resident's details
        String body = form("api_key", DEV_KEY, "jurisdiction_id", "samplecity.example",
                "service_code", "streetlight-out", "lat", "40.7128", "long", "-74.006",
                "description", "Dark since Monday", "media_url", "https://photos.example/pole.jpg",
                "first_name", "Ana", "last_name", "Diaz", "email", "ana@example.net",
                "attribute[pole-number]", "P-77")
                + "&attribute[hazards][]=near-school&attribute%5Bhazards%5D%5B%5D=exposed-wires";

        // when it is posted without a charset, answered in JSON
        List<Map<String, Object>> answer = list(post("/open311/v2/requests.json", FORM, body)
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.CONTENT_TYPE, JSON)
                .expectBody(String.class).returnResult().getResponseBody());

        // then it answers the id alone, and staff see the request as filed by that client
        assertThat(answer).hasSize(1);
        assertThat(answer.get(0)).containsOnlyKeys("service_request_id");
        String id = (String) answer.get(0).get("service_request_id");
        web.get().uri("/api/requests/{id}", id).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.channel").isEqualTo("open311")
                .jsonPath("$.filedBy").isEqualTo("open311:" + Open311Clients.DEVELOPMENT_CLIENT)
                .jsonPath("$.attributes.hazards").isEqualTo(List.of("near-school", "exposed-wires"))
                .jsonPath("$.attributes['pole-number']").isEqualTo("P-77")
                .jsonPath("$.resident.firstName").isEqualTo("Ana")
                .jsonPath("$.mediaUrls").isEqualTo(List.of("https://photos.example/pole.jpg"));
        // (the photo is in the request's own document, written in the same insert)
        assertThat(mongo.findById(id, ServiceRequest.class).block(Duration.ofSeconds(10)).mediaUrls())
                .containsExactly("https://photos.example/pole.jpg");
        Map<String, Object> read = list(read("/open311/v2/requests/" + id + ".json", JSON)).get(0);
        assertThat(read).containsEntry("service_request_id", id).containsEntry("status", "open")
                .containsEntry("service_name", "Street light out").containsEntry("service_code", "streetlight-out")
                .containsEntry("agency_responsible", "Department of Transportation")
                .containsEntry("media_url", "https://photos.example/pole.jpg")
                .containsEntry("lat", 40.7128).containsEntry("long", -74.006)
                .containsEntry("description", "Dark since Monday");

        // and with "; charset=utf-8", answered in XML, non-ASCII text arrives intact
        String xml = post("/open311/v2/requests.xml", FORM + "; charset=utf-8", form("api_key", DEV_KEY,
                "service_code", "heat-hot-water", "address_string", "9 Elm St, Café building",
                "attribute[problem]", "heat", "attribute[since]", "2026-11-22T18:00:00-05:00",
                "attribute[apartment]", "4B", "description", "Radiators cold\r\nsince last night"))
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.CONTENT_TYPE, XML)
                .expectBody(String.class).returnResult().getResponseBody();
        String heatId = text(parse(xml), "/service_requests/request/service_request_id");
        assertThat(heatId).startsWith("311-");
        assertThat(texts(parse(xml), "/service_requests/request/token")).isEmpty();
        Document heat = parse(read("/open311/v2/requests/" + heatId + ".xml", XML));
        assertThat(text(heat, "//request/address")).isEqualTo("9 Elm St, Café building");
        assertThat(text(heat, "//request/description")).isEqualTo("Radiators cold\r\nsince last night");
        assertThat(text(heat, "//request/agency_responsible")).isEqualTo("Housing Preservation");
    }

    @Test
    void shouldReadRepeatedAttributeKeysAsAMultivaluelistTheWayFixMyStreetSendsThem() {
        String id = fileAndGetId(form("api_key", DEV_KEY, "service_code", "streetlight-out",
                "address_string", "1 Main St", "attribute[hazards]", "near-school", "attribute[hazards]",
                "dark-crosswalk"));

        web.get().uri("/api/requests/{id}", id).exchange().expectBody()
                .jsonPath("$.attributes.hazards").isEqualTo(List.of("near-school", "dark-crosswalk"));
    }

    @Test
    void shouldAnswerTokenWithRequestIdOnceRouted() {
        // given a request to a batch service
        String xml = post("/open311/v2/requests.xml", FORM, form("api_key", DEV_KEY, "service_code", "graffiti",
                "lat", "40.75", "long", "-73.99", "attribute[surface]", "wall", "attribute[colours][]", "red",
                "attribute[area]", "2.5", "attribute[seen]", "2026-11-22T18:00:00Z", "attribute[words]", "line\none"))
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();

        // then the answer is a token, not an id
        Document answer = parse(xml);
        String token = text(answer, "/service_requests/request/token");
        assertThat(token).hasSize(36);
        assertThat(texts(answer, "/service_requests/request/service_request_id")).isEmpty();

        // and the token answers no id while the request waits for routing (after waiting token-wait for it)
        Document waiting = parse(read("/open311/v2/tokens/" + token + ".xml", XML));
        assertThat(text(waiting, "/service_requests/request/token")).isEqualTo(token);
        assertThat(texts(waiting, "/service_requests/request/service_request_id")).isEmpty();

        // when routing-service routes it while a client asks, once, as FixMyStreet does right after posting
        String id = mongo.findOne(Query.query(Criteria.where("token").is(token)), ServiceRequest.class)
                .block(Duration.ofSeconds(10)).id();
        CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS).execute(() -> new KafkaTestClient(brokers)
                .send("city311.routing", id,
                        KafkaTestClient.example(EventContract.example("city311.request.routed.v1"), id)));

        // then that one lookup answers its id (the client does not post the report again)
        assertThat(list(read("/open311/v2/tokens/" + token + ".json", JSON)))
                .containsExactly(Map.of("service_request_id", id, "token", token));
    }

    @Test
    void shouldFilterRequestsByServiceStatusDatesAndPages() {
        // given two potholes and a question, and one of the potholes resolved
        String small = fileAndGetId(pothole("small"));
        String large = fileAndGetId(pothole("large"));
        String other = fileAndGetId(form("api_key", DEV_KEY, "service_code", "other", "address_string", "2 Main St"));
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        kafka.send("city311.routing", large,
                KafkaTestClient.example(EventContract.example("city311.request.routed.v1"), large));
        kafka.send("city311.routing", large,
                KafkaTestClient.example(EventContract.example("city311.request.resolved.v1"), large));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                list(read("/open311/v2/requests/" + large + ".json", JSON)).get(0)).containsEntry("status", "closed"));

        // then each filter finds what it says
        assertThat(ids("/open311/v2/requests.json?service_code=pothole&status=closed")).contains(large)
                .doesNotContain(small, other);
        assertThat(ids("/open311/v2/requests.json?service_code=pothole&status=open")).contains(small)
                .doesNotContain(large, other);
        assertThat(ids("/open311/v2/requests.json?service_code=pothole,other")).contains(small, large, other);
        assertThat(ids("/open311/v2/requests.json?status=open,closed")).contains(small, large, other);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        assertThat(ids("/open311/v2/requests.json?start_date=" + now.minus(Duration.ofHours(1)) + "&end_date="
                + now.plus(Duration.ofHours(1)))).contains(small, large, other);
        assertThat(ids("/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-02-01T00:00:00-05:00"))
                .isEmpty();
        // the resolution happened on 25 November (the contract example's time), the rest today
        assertThat(ids("/open311/v2/requests.json?updated_after=2026-11-24T12:00:00Z")).contains(large)
                .doesNotContain(small, other);
        assertThat(ids("/open311/v2/requests.json?updated_before=2026-11-24T12:00:00Z")).contains(small, other)
                .doesNotContain(large);
        // service_request_id overrides every other filter
        assertThat(ids("/open311/v2/requests.xml?service_request_id=" + small + "," + other + "&status=closed"))
                .containsExactly(other, small);

        // and pages are stable, newest first
        List<String> firstTwo = ids("/open311/v2/requests.json?page_size=2");
        assertThat(firstTwo).hasSize(2);
        assertThat(ids("/open311/v2/requests.json?page_size=1&page=1")).containsExactly(firstTwo.get(0));
        assertThat(ids("/open311/v2/requests.json?page_size=1&page=2")).containsExactly(firstTwo.get(1));
        assertThat(firstTwo.get(0)).isGreaterThan(firstTwo.get(1));
        assertThat(ids("/open311/v2/requests.json?page=10000&page_size=500")).isEmpty();
    }

    @Test
    void shouldShowNotesChannelAndDuplicatesWithExtensions() {
        String id = fileAndGetId(pothole("medium"));
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        kafka.send("city311.routing", id, KafkaTestClient.example(EventContract.example("city311.request.routed.v1"), id));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                list(read("/open311/v2/requests/" + id + ".json", JSON)).get(0).get("status_notes"))
                .asString().startsWith("Sent to Department of Transportation"));

        Map<String, Object> extended = list(read("/open311/v2/requests/" + id + ".json?extensions=true", JSON)).get(0);
        assertThat(mapOf(extended.get("extended_attributes"))).containsEntry("channel", "open311")
                .containsEntry("duplicate", false).containsEntry("parent_service_request_id", null);
        assertThat(listOf(extended.get("notes"))).extracting(note -> note.get("summary"))
                .containsExactly("Submitted", "Routed");
        assertThat(listOf(extended.get("notes")).get(1)).containsEntry("type", "activity")
                .containsEntry("datetime", "2026-11-23T14:05:12Z");
        assertThat(list(read("/open311/v2/requests/" + id + ".json", JSON)).get(0))
                .doesNotContainKeys("extended_attributes", "notes");
        Document xml = parse(read("/open311/v2/requests/" + id + ".xml?extensions=true", XML));
        assertThat(text(xml, "//request/extended_attributes/channel")).isEqualTo("open311");
        assertThat(texts(xml, "//request/notes/note/summary")).containsExactly("Submitted", "Routed");
    }

    @Test
    void shouldNeverShowResidentsOrStaffPersonalDataInAnyRead() {
        // given a request with the resident's details, accepted by a named crew member, with an internal note
        String id = fileAndGetId(form("api_key", DEV_KEY, "service_code", "pothole", "attribute[size]", "large",
                "address_string", "77 Broadway", "first_name", "Zenobia", "last_name", "Quillfeather",
                "email", "zenobia.q@example.net", "phone", "212-555-0199", "account_id", "acct-991",
                "device_id", "device-5"));
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        kafka.send("city311.routing", id, KafkaTestClient.example(EventContract.example("city311.request.routed.v1"), id));
        kafka.send("city311.routing", id, KafkaTestClient.example(EventContract.example("city311.request.accepted.v1"), id));
        kafka.send("city311.routing", id, KafkaTestClient.example(EventContract.example("city311.request.updated.v1"), id)
                .replace("\"visibility\": \"public\"", "\"visibility\": \"internal\"")
                .replace("Crew scheduled for Wednesday morning.", "Tenant Zenobia wants a call back"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> web.get().uri("/api/requests/{id}", id).exchange()
                .expectBody().jsonPath("$.history.length()").isEqualTo(4));

        // then no Open311 read shows who reported it, which crew member took it, or the internal note
        Instant now = clock.instant();
        List<String> reads = new ArrayList<>();
        for (String format : List.of("xml", "json")) {
            String type = format.equals("xml") ? XML : JSON;
            reads.add(read("/open311/v2/requests." + format + "?extensions=true", type));
            reads.add(read("/open311/v2/requests/" + id + "." + format + "?extensions=true", type));
            reads.add(read("/open311/v2/servicerequestupdates." + format + "?start_date="
                    + now.minus(Duration.ofHours(12)) + "&end_date=" + now.plus(Duration.ofHours(12)), type));
        }
        assertThat(reads).allSatisfy(body -> assertThat(body).contains(id)
                .doesNotContain("Zenobia", "Quillfeather", "zenobia.q@example.net", "212-555-0199", "acct-991",
                        "device-5", "m.rivera", "open311:", "Tenant"));
        assertThat(reads.get(1)).contains("Accepted by Department of Transportation");
    }

    @Test
    void shouldRefusePostsWithoutAValidUnrevokedKey() {
        String request = form("service_code", "other", "address_string", "3 Main St");

        // no key, answered in XML
        Document missing = parse(post("/open311/v2/requests.xml", FORM, request).expectStatus().isForbidden()
                .expectHeader().valueEquals(HttpHeaders.CONTENT_TYPE, XML)
                .expectBody(String.class).returnResult().getResponseBody());
        assertThat(text(missing, "/errors/error/code")).isEqualTo("403");
        assertThat(text(missing, "/errors/error/description")).startsWith("api_key");
        // a wrong key, answered in JSON
        assertThat(list(post("/open311/v2/requests.json", FORM, request + "&api_key=guess").expectStatus().isForbidden()
                .expectBody(String.class).returnResult().getResponseBody()))
                .singleElement().satisfies(error -> assertThat(error).containsEntry("code", 403));

        // a key staff issue works, is never listed, and once revoked is refused
        Map<String, Object> issued = object(web.post().uri("/api/open311/clients").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Street Fixers (test)")).exchange().expectStatus().isCreated()
                .expectBody(String.class).returnResult().getResponseBody());
        String key = (String) issued.get("apiKey");
        String clientId = (String) issued.get("id");
        post("/open311/v2/requests.json", FORM, request + "&api_key=" + key).expectStatus().isOk();
        String clients = web.get().uri("/api/open311/clients").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(clients).contains(clientId, "Street Fixers (test)", Open311Clients.DEVELOPMENT_CLIENT)
                .doesNotContain(key, DEV_KEY, Open311Clients.hash(key));
        web.delete().uri("/api/open311/clients/{id}", clientId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.revokedAt").isNotEmpty();
        post("/open311/v2/requests.json", FORM, request + "&api_key=" + key).expectStatus().isForbidden();

        // a key revoked on another instance (straight in the store) is taken here as it checked out for the key
        // cache's 30 seconds, no longer
        Map<String, Object> second = object(web.post().uri("/api/open311/clients")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "Street Fixers (second)")).exchange()
                .expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody());
        String secondKey = (String) second.get("apiKey");
        post("/open311/v2/requests.json", FORM, request + "&api_key=" + secondKey).expectStatus().isOk();
        mongo.updateFirst(Query.query(Criteria.where("clientId").is(second.get("id"))),
                new Update().set("revokedAt", clock.instant()), "open311_clients").block(Duration.ofSeconds(10));
        post("/open311/v2/requests.json", FORM, request + "&api_key=" + secondKey).expectStatus().isOk();
        testClock.advance(Duration.ofSeconds(31));
        post("/open311/v2/requests.json", FORM, request + "&api_key=" + secondKey).expectStatus().isForbidden();

        web.delete().uri("/api/open311/clients/{id}", "000000000000").exchange().expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        web.post().uri("/api/open311/clients").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "bad\u0007name")).exchange().expectStatus().isBadRequest();
    }

    @Test
    void shouldAnswer404ForUnknownServicesRequestsTokensJurisdictionsAndFormats() {
        assertError(web.get().uri("/open311/v2/services/unicorn.xml"), 404, "service_code");
        assertError(web.get().uri("/open311/v2/requests/311-99999999.json"), 404, "service_request_id");
        assertError(web.get().uri("/open311/v2/requests/{id}.xml", "{\"$gt\":\"\"}"), 404, "service_request_id");
        assertError(web.get().uri("/open311/v2/tokens/" + UUID.randomUUID() + ".xml"), 404, "token");
        assertError(web.get().uri("/open311/v2/tokens/not-a-token.json"), 404, "token");
        assertError(web.get().uri("/open311/v2/services.xml?jurisdiction_id=elsewhere.example"), 404,
                "jurisdiction_id");
        assertError(web.post().uri("/open311/v2/requests.json").header(HttpHeaders.CONTENT_TYPE, FORM)
                .bodyValue(form("api_key", DEV_KEY, "service_code", "unicorn", "lat", "40.7", "long", "-74")),
                404, "service_code");
        assertError(web.get().uri("/open311/v2/services.html"), 404, "format");
        assertError(web.get().uri("/open311/v2/nothing.json"), 404, "no Open311 resource");
        assertError(web.delete().uri("/open311/v2/requests.xml"), 405, "DELETE");
    }

    @Test
    void shouldAnswerMalformedUrlsWithAClientErrorNeverAServerError() {
        for (String path : List.of("/open311/v2/requests/%zz.xml", "/open311/v2/requests.json?service_code=%zz",
                "/open311/v2/requests.json?status=%ff%fe", "/open311/v2/services/..%2f..%2fetc.xml",
                "/open311/v2/tokens/%00.json", "/open311/v2/requests/311-00000001.json?extensions=%",
                "/open311/v2/requests.xml?page=-1", "/open311/v2/requests.xml?page_size=0")) {
            assertThat(rawGet(path)).as(path).isBetween(400, 499);
        }
    }

    @Test
    void shouldRefuseBadInputWithAnErrorArrayNamingTheFieldAndStoreNothing() {
        long before = storedRequests();
        String key = "api_key=" + DEV_KEY;

        rejected(form("service_code", "pothole", "attribute[size]", "small"), 400, "lat/long");
        rejected(form("service_code", "pothole", "lat", "40.7"), 400, "long: required");
        rejected(form("service_code", "pothole", "address_string", "1 Main St"), 400, "attribute[size]: required");
        rejected(form("service_code", "pothole", "address_string", "1 Main St", "attribute[size]", "small",
                "attribute[colour]", "blue"), 400, "attribute[colour]");
        rejected(form("service_code", "pothole", "address_string", "1 Main St", "attribute[size]", "enormous"), 400,
                "attribute[size]");
        rejected(form("service_code", "heat-hot-water", "address_string", "1 Main St", "attribute[problem]", "heat",
                "attribute[since]", "yesterday"), 400, "attribute[since]");
        rejected(form("service_code", "other", "address_string", "1 Main St", "description", "Bell\u0007 rings"), 400,
                "description: contains a control character");
        rejected(form("service_code", "other", "address_string", "1 Main\u0000St"), 400, "address_string");
        rejected(form("service_code", "other", "address_string", "1 Main St", "description", "x".repeat(4001)), 400,
                "description: at most 4000");
        rejected(form("service_code", "other", "lat", "NaN", "long", "-74"), 400, "lat:");
        rejected(form("service_code", "other", "lat", "1e400", "long", "-74"), 400, "lat:");
        rejected(form("service_code", "other", "lat", "51.5072", "long", "-0.1276"), 400, "outside the city");
        rejected(form("service_code", "other", "address_string", "1 Main St", "email", "not-an-email"), 400, "email");
        rejected(form("service_code", "other", "address_string", "1 Main St", "media_url", "javascript:alert(1)"),
                400, "media_url");
        rejected("service_code=other&address_string=100%+Main", 400, "malformed percent-encoding");
        rejected("service_code=other&address_string=%C3%28", 400, "not valid UTF-8");
        rejected(form("service_code", "other", "service_code", "pothole", "address_string", "1 Main St"), 400,
                "service_code: given more than once");
        // Mongo operators are only ever text here
        rejected(form("service_code", "{\"$gt\":\"\"}", "address_string", "1 Main St"), 404, "service_code");
        rejected(form("service_code", "pothole", "address_string", "1 Main St", "attribute[size]", "{\"$ne\":null}"),
                400, "attribute[size]");
        rejected(form("service_code", "pothole", "address_string", "1 Main St", "attribute[size]", "small",
                "attribute[$where]", "1"), 400, "attribute[$where]");
        rejected("service_code[$ne]=x&address_string=1+Main+St", 400, "service_code: required");
        rejected("attribute[a][b]=1&service_code=other&address_string=1+Main+St", 400, "attribute[a][b]");
        // not a form at all, or far too large
        assertError(web.post().uri("/open311/v2/requests.json").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"api_key\": \"" + DEV_KEY + "\", \"service_code\": \"other\"}"), 400, "Content-Type");
        HttpResponse<String> unknownCharset = rawPost("/open311/v2/requests.xml", FORM + "; charset=klingon", key);
        assertThat(unknownCharset.statusCode()).isEqualTo(400);
        assertThat(texts(parse(unknownCharset.body()), "/errors/error/description")).singleElement().asString()
                .startsWith("Content-Type");
        assertError(web.post().uri("/open311/v2/requests.xml").header(HttpHeaders.CONTENT_TYPE, FORM)
                .bodyValue((key + "&service_code=other&address_string=1+Main+St&description="
                        + "x".repeat(10 * 1024 * 1024)).getBytes(StandardCharsets.US_ASCII)), 413, "larger than");

        // and GET filters that cannot be met are 400 too
        assertError(web.get().uri("/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z"),
                400, "at most 90 days");
        assertError(web.get().uri("/open311/v2/requests.json?start_date=last+week"), 400, "start_date");
        assertError(web.get().uri("/open311/v2/requests.json?status=pending"), 400, "status");
        assertError(web.get().uri("/open311/v2/requests.json?page_size=100000"), 400, "page_size");
        assertError(web.get().uri("/open311/v2/requests.json?service_code={code}", "{\"$gt\":\"\"}"), 400, "service_code");
        assertError(web.get().uri("/open311/v2/requests.json?extensions=maybe"), 400, "extensions");

        assertThat(storedRequests()).isEqualTo(before);
    }

    @Test
    void shouldKeepOperatorLikeTextAsPlainTextWithoutTouchingOtherData() {
        String id = fileAndGetId(form("api_key", DEV_KEY, "service_code", "other", "address_string", "1 Main St",
                "description", "{\"$set\": {\"status\": \"closed\"}} <script>alert(1)</script>"));

        Map<String, Object> read = list(read("/open311/v2/requests/" + id + ".json", JSON)).get(0);
        assertThat(read).containsEntry("status", "open")
                .containsEntry("description", "{\"$set\": {\"status\": \"closed\"}} <script>alert(1)</script>");
        assertThat(read("/open311/v2/requests/" + id + ".xml", XML))
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>");
    }

    @Test
    void shouldRecordAClientUpdateOnceAndPublishItForRoutingServiceAndListUpdatesForFixMyStreet() {
        // given a routed request
        String id = fileAndGetId(pothole("small"));
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        kafka.send("city311.routing", id, KafkaTestClient.example(EventContract.example("city311.request.routed.v1"), id));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> web.get().uri("/api/requests/{id}", id).exchange()
                .expectBody().jsonPath("$.status").isEqualTo("routed"));

        // when FixMyStreet, run by the city (the development key is a trusted integration), posts an update saying
        // it is fixed, twice (a retry)
        String update = form("api_key", DEV_KEY, "jurisdiction_id", "samplecity.example", "service_request_id", id,
                "update_id", "fms-77", "status", "FIXED", "updated_datetime", "2026-11-23T08:00:00+00:00",
                "description", "Looks filled in now\r\nThanks", "email", "zenobia.q@example.net",
                "first_name", "Zenobia", "media_url", "https://photos.example/fixed.jpg");
        String first = text(parse(post("/open311/v2/servicerequestupdates.xml", FORM, update).expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.CONTENT_TYPE, XML)
                .expectBody(String.class).returnResult().getResponseBody()),
                "/service_request_updates/request_update/update_id");
        List<Map<String, Object>> second = list(post("/open311/v2/servicerequestupdates.json", FORM, update)
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());

        // then it is answered with the same id, recorded once as a public note, and published once for
        // routing-service, which decides what a trusted integration's FIXED does (it resolves the request)
        assertThat(first).isEqualTo("open311-update:local development:fms-77");
        assertThat(second).containsExactly(Map.of("update_id", first));
        ConsumerRecord<String, String> published = kafka.await("city311.requests", record -> id.equals(record.key())
                && record.value().contains(EventContract.REQUEST_CLIENT_UPDATED), Duration.ofSeconds(20));
        EventContract.assertValid(published.value());
        Map<String, Object> event = object(published.value());
        assertThat(event).containsEntry("actedby", "open311:local development")
                .containsEntry("source", "/city311/request-service").containsEntry("subject", id);
        assertThat(mapOf(event.get("data"))).containsEntry("requestId", id).containsEntry("updateId", "fms-77")
                .containsEntry("client", "local development").containsEntry("trusted", true)
                .containsEntry("status", "FIXED").containsEntry("description", "Looks filled in now\r\nThanks");
        assertThat(kafka.readAll("city311.requests", Duration.ofSeconds(2)))
                .filteredOn(record -> id.equals(record.key())).extracting(record -> type(record.value()))
                .containsExactly(EventContract.REQUEST_CREATED, EventContract.REQUEST_CLIENT_UPDATED);
        // and until routing-service's answer arrives the status stays the one it last published
        Map<String, Object> staffView = object(web.get().uri("/api/requests/{id}", id).exchange()
                .expectBody(String.class).returnResult().getResponseBody());
        assertThat(staffView).containsEntry("status", "routed");
        assertThat(listOf(staffView.get("history"))).hasSize(3)
                .filteredOn(entry -> String.valueOf(entry.get("note")).startsWith("Update from"))
                .singleElement().satisfies(entry -> assertThat(entry)
                        .containsEntry("note", "Update from local development: Looks filled in now\r\nThanks")
                        .containsEntry("status", "routed").containsEntry("kind", "updated"));
        assertThat(list(read("/open311/v2/requests/" + id + ".json", JSON)).get(0))
                .containsEntry("status", "open").containsEntry("status_notes", "Sent to Department of Transportation");

        // and the updates feed lists the routing and the note, in FixMyStreet's words
        // (the contract example routes it at 14:05 UTC on 23 November)
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String window = "&start_date=" + now.minus(Duration.ofHours(12))
                + "&end_date=" + now.plus(Duration.ofHours(12));
        Document updates = parse(read("/open311/v2/servicerequestupdates.xml?jurisdiction_id=samplecity.example"
                + "&api_key=" + DEV_KEY + window, XML));
        String mine = "/service_request_updates/request_update[service_request_id='" + id + "']";
        assertThat(texts(updates, mine + "/update_id")).hasSize(2).contains(first);
        assertThat(texts(updates, mine + "/status")).containsOnly("open");
        assertThat(texts(updates, mine + "/external_status_code")).containsOnly("routed");
        assertThat(texts(updates, mine + "/description")).contains(
                "Sent to Department of Transportation", "Update from local development: Looks filled in now\r\nThanks");
        assertThat(texts(updates, mine + "/media_url")).containsOnly("");
        List<Map<String, Object>> asJson = list(read("/open311/v2/servicerequestupdates.json?" + window.substring(1),
                JSON));
        assertThat(asJson).filteredOn(item -> id.equals(item.get("service_request_id"))).hasSize(2)
                .allSatisfy(item -> assertThat(item).containsKeys("update_id", "status", "updated_datetime",
                        "description", "media_url"));

        // when routing-service answers: it resolved the request on the trusted integration's word
        kafka.send("city311.routing", id, KafkaTestClient.example(EventContract.example("city311.request.resolved.v1"), id)
                .replace("\"datacontenttype\"", "\"actedby\": \"open311:local development\", \"datacontenttype\""));

        // then the request is resolved for Open311 clients, and the audit trail names the client
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(list(read("/open311/v2/requests/" + id
                + ".json", JSON)).get(0)).containsEntry("status", "closed"));
        web.get().uri("/api/requests/{id}/audit", id).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.changes[?(@.kind == 'resolved')].by").isEqualTo("open311:local development");
    }

    @Test
    void shouldListAnUpdateThatArrivedLateInThePollAfterItsArrival() {
        // given a request, and a client that polls updates from ten minutes ago
        String id = fileAndGetId(pothole("large"));
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String window = "?start_date=" + now.minus(Duration.ofMinutes(10)) + "&end_date=" + now.plus(Duration.ofMinutes(5));

        // when its routing, done three hours ago, reaches request-service only now (Kafka was down meanwhile)
        String threeHoursAgo = now.minus(Duration.ofHours(3)).toString();
        new KafkaTestClient(brokers).send("city311.routing", id,
                KafkaTestClient.example(EventContract.example("city311.request.routed.v1"), id)
                        .replace("2026-11-23T14:05:12.902Z", threeHoursAgo));
        // (agency_responsible is no sign of arrival: before routing it names the catalog's department already)
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> web.get().uri("/api/requests/{id}", id).exchange()
                .expectBody().jsonPath("$.status").isEqualTo("routed"));

        // then the poll lists it, with the time it happened: FixMyStreet does not miss the routing
        List<Map<String, Object>> updates = list(read("/open311/v2/servicerequestupdates.json" + window, JSON));
        assertThat(updates).filteredOn(item -> id.equals(item.get("service_request_id"))).singleElement()
                .satisfies(item -> assertThat(String.valueOf(item.get("updated_datetime")))
                        .startsWith(threeHoursAgo.substring(0, 13)));
    }

    @Test
    void shouldRefuseClientUpdatesThatAreIncompleteUnknownOrUnauthorised() {
        String id = fileAndGetId(pothole("small"));

        assertError(web.post().uri("/open311/v2/servicerequestupdates.xml").header(HttpHeaders.CONTENT_TYPE, FORM)
                .bodyValue(form("api_key", DEV_KEY, "service_request_id", id)), 400, "update_id: required");
        assertError(web.post().uri("/open311/v2/servicerequestupdates.xml").header(HttpHeaders.CONTENT_TYPE, FORM)
                .bodyValue(form("api_key", DEV_KEY, "service_request_id", id, "update_id", "1", "status", "DONE",
                        "updated_datetime", "2026-11-23T08:00:00Z", "description", "x")), 400, "status");
        assertError(web.post().uri("/open311/v2/servicerequestupdates.json").header(HttpHeaders.CONTENT_TYPE, FORM)
                .bodyValue(form("api_key", DEV_KEY, "service_request_id", "311-99999999", "update_id", "1",
                        "status", "OPEN", "updated_datetime", "2026-11-23T08:00:00Z", "description", "x")), 404,
                "service_request_id");
        assertError(web.post().uri("/open311/v2/servicerequestupdates.json").header(HttpHeaders.CONTENT_TYPE, FORM)
                .bodyValue(form("service_request_id", id, "update_id", "1", "status", "OPEN",
                        "updated_datetime", "2026-11-23T08:00:00Z", "description", "x")), 403, "api_key");
        assertError(web.get().uri("/open311/v2/servicerequestupdates.xml?start_date=2026-01-01T00:00:00Z"
                + "&end_date=2026-01-02T00:00:01Z"), 400, "at most 24 hours apart");
        web.get().uri("/api/requests/{id}", id).exchange().expectBody().jsonPath("$.history.length()").isEqualTo(1);
    }

    @Test
    void shouldDescribeTheEndpointInDiscovery() {
        Document discovery = parse(read("/open311/discovery.xml", XML));

        assertThat(text(discovery, "/discovery/endpoints/endpoint/specification"))
                .isEqualTo("http://wiki.open311.org/GeoReport_v2");
        assertThat(text(discovery, "/discovery/endpoints/endpoint/url")).matches("http://localhost:\\d+/open311/v2");
        assertThat(text(discovery, "/discovery/endpoints/endpoint/type")).isEqualTo("production");
        assertThat(texts(discovery, "/discovery/endpoints/endpoint/formats/format"))
                .containsExactly("text/xml", "application/json");
        assertThat(text(discovery, "/discovery/changeset")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
        assertThat(text(discovery, "/discovery/key_service")).isNotBlank();

        Map<String, Object> same = object(read("/open311/discovery.json", JSON));
        assertThat(same).containsKeys("changeset", "contact", "key_service");
        assertThat(listOf(same.get("endpoints")).get(0)).containsEntry("formats", List.of("text/xml", "application/json"))
                .containsEntry("type", "production");
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private static String pothole(String size) {
        return form("api_key", DEV_KEY, "service_code", "pothole", "attribute[size]", size,
                "lat", "40.7141", "long", "-74.0062");
    }

    private String fileAndGetId(String body) {
        String answer = post("/open311/v2/requests.json", FORM, body).expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        return (String) list(answer).get(0).get("service_request_id");
    }

    private void rejected(String body, int status, String named) {
        String withKey = body + "&api_key=" + DEV_KEY;
        assertError(web.post().uri("/open311/v2/requests.xml").header(HttpHeaders.CONTENT_TYPE, FORM)
                .bodyValue(withKey.getBytes(StandardCharsets.US_ASCII)), status, named);
        assertError(web.post().uri("/open311/v2/requests.json").header(HttpHeaders.CONTENT_TYPE, FORM)
                .bodyValue(withKey.getBytes(StandardCharsets.US_ASCII)), status, named);
    }

    /** The error array in the format the path asks for (XML unless it ends in .json), naming what is wrong. */
    private void assertError(WebTestClient.RequestHeadersSpec<?> request, int status, String named) {
        WebTestClient.ResponseSpec response = request.exchange();
        var result = response.expectStatus().isEqualTo(status).expectBody(String.class).returnResult();
        String body = result.getResponseBody();
        String path = result.getUrl().getPath();
        if (path.endsWith(".json")) {
            assertThat(result.getResponseHeaders().getFirst(HttpHeaders.CONTENT_TYPE)).isEqualTo(JSON);
            assertThat(list(body)).isNotEmpty().allSatisfy(error -> assertThat(error).containsEntry("code", status))
                    .anySatisfy(error -> assertThat((String) error.get("description")).contains(named));
        }
        else {
            assertThat(result.getResponseHeaders().getFirst(HttpHeaders.CONTENT_TYPE)).isEqualTo(XML);
            Document errors = parse(body);
            assertThat(texts(errors, "/errors/error/code")).isNotEmpty().containsOnly(String.valueOf(status));
            assertThat(texts(errors, "/errors/error/description")).anySatisfy(text -> assertThat(text).contains(named));
        }
    }

    private WebTestClient.ResponseSpec post(String path, String contentType, String body) {
        return web.post().uri(path).header(HttpHeaders.CONTENT_TYPE, contentType)
                .bodyValue(body.getBytes(StandardCharsets.UTF_8)).exchange();
    }

    /** The status of a GET sent over a bare socket, with the path exactly as given (HTTP clients refuse some). */
    private int rawGet(String path) {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1)).readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
        catch (Exception ex) {
            throw new AssertionError(path, ex);
        }
    }

    /** Through a plain HTTP client, which sends any Content-Type as given. */
    private HttpResponse<String> rawPost(String path, String contentType, String body) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header(HttpHeaders.CONTENT_TYPE, contentType)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (Exception ex) {
            throw new AssertionError(ex);
        }
    }

    private String read(String uri, String contentType) {
        return web.get().uri(uri).exchange().expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.CONTENT_TYPE, contentType)
                .expectBody(String.class).returnResult().getResponseBody();
    }

    private List<String> ids(String uri) {
        String body = read(uri, uri.contains(".xml") ? XML : JSON);
        if (uri.contains(".xml")) {
            return texts(parse(body), "/service_requests/request/service_request_id");
        }
        return list(body).stream().map(request -> (String) request.get("service_request_id")).toList();
    }

    private long storedRequests() {
        return mongo.count(new Query(), ServiceRequest.class).block(Duration.ofSeconds(10));
    }

    private static String form(String... pairs) {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (form.length() > 0) {
                form.append('&');
            }
            form.append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return form.toString();
    }

    private static List<Map<String, Object>> list(String body) {
        return json.readValue(body, new TypeReference<List<Map<String, Object>>>() {
        });
    }

    private static Map<String, Object> object(String body) {
        return json.readValue(body, new TypeReference<Map<String, Object>>() {
        });
    }

    private static String type(String cloudEvent) {
        return (String) object(cloudEvent).get("type");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> listOf(Object value) {
        return (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapOf(Object value) {
        return (Map<String, Object>) value;
    }

    private static Document parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        }
        catch (Exception ex) {
            throw new AssertionError("not well-formed XML: " + xml, ex);
        }
    }

    private static String text(Document document, String xpath) {
        List<String> texts = texts(document, xpath);
        assertThat(texts).as(xpath).hasSize(1);
        return texts.get(0);
    }

    private static List<String> texts(Document document, String xpath) {
        try {
            NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, document,
                    XPathConstants.NODESET);
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) {
                texts.add(nodes.item(i).getTextContent());
            }
            return texts;
        }
        catch (Exception ex) {
            throw new AssertionError(xpath, ex);
        }
    }

    /** The contract's catalog, republished later with a batch service whose questions use every datatype. */
    private static String catalogWithGraffiti() {
        ObjectNode event = (ObjectNode) json.readTree(EventContract.example("city311.catalog.published.v1"));
        event.put("id", UUID.randomUUID().toString());
        event.put("time", "2026-11-21T07:30:00Z");
        ObjectNode data = (ObjectNode) event.get("data");
        data.put("catalogVersion", "2026.11.2");
        data.put("publishedAt", "2026-11-21T07:30:00Z");
        ((ArrayNode) data.get("services")).add(json.readTree("""
                {
                  "code": "graffiti", "name": "Graffiti", "group": "Streets and sidewalks",
                  "keywords": ["graffiti", "tag", "paint"], "description": "Paint or tags on public property.",
                  "department": "transportation", "type": "batch",
                  "standard": {"firstAction": {"amount": 1, "unit": "business_days"},
                               "resolution": {"amount": 5, "unit": "business_days"}, "pauseOnHold": true},
                  "attributes": [
                    {"code": "area", "datatype": "number", "required": false, "variable": true, "order": 3,
                     "description": "About how many square metres?", "datatypeDescription": "A number, e.g. 2.5", "values": []},
                    {"code": "surface", "datatype": "singlevaluelist", "required": true, "variable": true, "order": 1,
                     "description": "What is painted?", "datatypeDescription": null,
                     "values": [{"key": "wall", "name": "A wall"}, {"key": "sign", "name": "A street sign"}]},
                    {"code": "colours", "datatype": "multivaluelist", "required": false, "variable": true, "order": 2,
                     "description": "Which colours?", "datatypeDescription": null,
                     "values": [{"key": "red", "name": "Red"}, {"key": "black", "name": "Black"},
                                {"key": "silver", "name": "Silver"}]},
                    {"code": "seen", "datatype": "datetime", "required": false, "variable": true, "order": 4,
                     "description": "When did it appear?", "datatypeDescription": "Date and time with offset",
                     "values": []},
                    {"code": "words", "datatype": "text", "required": false, "variable": true, "order": 5,
                     "description": "What does it say, if it is offensive?", "datatypeDescription": null,
                     "values": []},
                    {"code": "tag", "datatype": "string", "required": false, "variable": true, "order": 6,
                     "description": "A signature or crew name, if any", "datatypeDescription": null,
                     "values": []},
                    {"code": "notice", "datatype": "string", "required": false, "variable": false, "order": 7,
                     "description": "Offensive graffiti is removed within one business day.",
                     "datatypeDescription": null, "values": []}
                  ]
                }
                """));
        return json.writeValueAsString(event);
    }
}
