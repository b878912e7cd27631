package org.city311.request.open311;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.city311.contracts.EventContract;
import org.city311.platform.security.Role;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.TestTokens;
import org.city311.request.CatalogFixture;
import org.city311.request.Channel;
import org.city311.request.RequestStatus;
import org.city311.request.ServiceRequest;
import org.city311.request.ServiceRequest.StatusChange;
import org.city311.request.catalog.ServiceCatalogCopy;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * servicerequestupdates as clients live with it: who may post updates to which request and how many, every update
 * of a polled window however busy, a window walked in pages, and internal requests kept off Open311.
 */
@ServiceIntegrationTest
@EmbeddedKafka(partitions = 3, topics = { "city311.requests", "city311.routing", "city311.catalog" })
@TestPropertySource(properties = { "city311.open311.dev-api-key=" + Open311UpdatesIntegrationTests.DEV_KEY,
        "city311.open311.rate-limit.per-address=100000" })
class Open311UpdatesIntegrationTests {

    static final String DEV_KEY = "dev-key-updates-0123456789abcdef";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String UPDATES = "/open311/v2/servicerequestupdates.json";
    private static final JsonMapper json = JsonMapper.builder().build();

    @Autowired
    WebTestClient web;

    @Autowired
    ServiceCatalogCopy catalog;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Autowired
    Clock clock;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @BeforeEach
    void catalogPublishedByRoutingService() {
        CatalogFixture.published(catalog, brokers);
    }

    @Test
    void shouldLetAClientUpdateOnlyRequestsItFiledUntilAnAdminMarksItATrustedIntegration() {
        // given a client application's key, not trusted, and the local development key, which is
        Map<String, Object> app = issue("Neighbourhood App (test)", null);
        String appKey = (String) app.get("apiKey");
        assertThat(app).containsEntry("trustedIntegration", false);
        assertThat(clients()).anySatisfy(client -> assertThat(client)
                .containsEntry("name", Open311Clients.DEVELOPMENT_CLIENT).containsEntry("trustedIntegration", true));
        String filedByDev = file(DEV_KEY);
        String filedByApp = file(appKey);

        // when the application posts to its own request and to another's
        // then only its own takes the update
        postUpdate(appKey, filedByApp, "app-1").expectStatus().isOk();
        String refused = postUpdate(appKey, filedByDev, "app-2").expectStatus().isForbidden()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(list(refused)).singleElement().satisfies(error -> assertThat(error).containsEntry("code", 403)
                .extractingByKey("description").asString().contains("service_request_id", "its own requests"));
        // a trusted integration posts to any request
        postUpdate(DEV_KEY, filedByApp, "dev-1").expectStatus().isOk();

        // when an admin marks the application a trusted integration (only an admin may)
        String appId = (String) app.get("id");
        web.patch().uri("/api/open311/clients/{id}", appId)
                .header(HttpHeaders.AUTHORIZATION, TestTokens.staff("staff.no-admin"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("trustedIntegration", true))
                .exchange().expectStatus().isForbidden();
        web.patch().uri("/api/open311/clients/{id}", appId)
                .header(HttpHeaders.AUTHORIZATION, TestTokens.only(Role.ADMIN))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("trustedIntegration", true))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.trustedIntegration").isEqualTo(true).jsonPath("$.id").isEqualTo(appId);

        // then it may post to the other request too
        postUpdate(appKey, filedByDev, "app-2").expectStatus().isOk();
        assertThat(clients()).filteredOn(client -> appId.equals(client.get("id"))).singleElement()
                .satisfies(client -> assertThat(client).containsEntry("trustedIntegration", true));
        // and each update is published for routing-service, saying whether the key was trusted when it posted
        assertThat(clientUpdates(filedByApp, "dev-1")).extracting(data -> data.get("updateId") + " " + data.get("client")
                + " " + data.get("trusted")).containsExactly("app-1 Neighbourhood App (test) false",
                        "dev-1 local development true");
        assertThat(clientUpdates(filedByDev, "app-2")).singleElement().satisfies(data -> assertThat(data)
                .containsEntry("updateId", "app-2").containsEntry("trusted", true).containsEntry("status", "OPEN")
                .containsEntry("description", "Seen again today"));
        web.patch().uri("/api/open311/clients/{id}", "000000000000").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("trustedIntegration", true)).exchange().expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        web.patch().uri("/api/open311/clients/{id}", appId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of()).exchange().expectStatus().isBadRequest();
    }

    @Test
    void shouldRefuseUpdatesBeyondTwentyPerClientAndAHundredPerRequestFromClients() {
        // given a request, and the development key, a trusted integration, posting 20 updates to it
        String id = file(DEV_KEY);
        for (int i = 1; i <= 20; i++) {
            postUpdate(DEV_KEY, id, "dev-" + i).expectStatus().isOk();
        }

        // when it posts a 21st, then it is refused in Open311's format; a retry of one already taken is answered
        String refused = postUpdate(DEV_KEY, id, "dev-21").expectStatus().isForbidden()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(list(refused)).singleElement().satisfies(error -> assertThat(error).containsEntry("code", 403)
                .extractingByKey("description").asString().contains("update_id", "20 updates"));
        postUpdate(DEV_KEY, id, "dev-5").expectStatus().isOk().expectBody(String.class)
                .value(body -> assertThat(body).contains("local development:dev-5"));

        // when four more trusted applications post 20 each, the request holds 100 updates from clients
        for (int client = 1; client <= 4; client++) {
            String key = (String) issue("Partner " + client + " (test)", true).get("apiKey");
            for (int i = 1; i <= 20; i++) {
                postUpdate(key, id, "p-" + i).expectStatus().isOk();
            }
        }

        // then a fifth application's first update is refused: the request takes no more
        String fifth = (String) issue("Partner 5 (test)", true).get("apiKey");
        refused = postUpdate(fifth, id, "p-1").expectStatus().isForbidden()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(list(refused)).singleElement().satisfies(error -> assertThat(error)
                .extractingByKey("description").asString().contains("service_request_id", "100 updates"));
        web.get().uri("/api/requests/{id}", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.history.length()").isEqualTo(1 + 100);
    }

    @Test
    void shouldKeepToTheLimitWhenUpdatesToOneRequestRaceEachOther() {
        // given a request
        String id = file(DEV_KEY);

        // when 30 updates to it from one client arrive at once
        List<Integer> statuses = Flux.range(1, 30)
                .flatMap(i -> Mono.fromCallable(() -> postUpdate(DEV_KEY, id, "race-" + i)
                        .returnResult(String.class).getStatus().value()).subscribeOn(Schedulers.boundedElastic()), 30)
                .collectList().block(Duration.ofMinutes(1));

        // then exactly 20 are taken and stored, and the others refused
        assertThat(statuses).filteredOn(status -> status == 200).hasSize(20);
        assertThat(statuses).filteredOn(status -> status != 200).containsOnly(403);
        web.get().uri("/api/requests/{id}", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.history.length()").isEqualTo(1 + 20);
    }

    @Test
    void shouldListEveryUpdateOfAPolledWindowEvenWhenItHoldsMoreThanAThousand() {
        // given a busy hour: 1,200 updates recorded on 30 requests (FixMyStreet's own client missed the update it
        // had just posted once the window held 1,000 others)
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String prefix = prefix();
        for (int r = 0; r < 30; r++) {
            int request = r;
            seed(prefix + r, IntStream.range(0, 40)
                    .mapToObj(step -> now.minus(Duration.ofMinutes(50)).plusSeconds(request * 40L + step)).toList());
        }
        // and FixMyStreet posts its own update at the end of the hour
        String own = file(DEV_KEY);
        String ownUpdate = postUpdate(DEV_KEY, own, "fms-own").expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody();
        String ownUpdateId = (String) list(ownUpdate).get(0).get("update_id");

        // when it polls the hour since its last poll, without paging
        List<Map<String, Object>> updates = updates("?start_date=" + now.minus(Duration.ofHours(1))
                + "&end_date=" + now.plus(Duration.ofMinutes(10)));

        // then it gets every update of the hour, its own among them, oldest first
        assertThat(updates).filteredOn(update -> String.valueOf(update.get("service_request_id")).startsWith(prefix))
                .hasSize(1200)
                .extracting(update -> (String) update.get("updated_datetime")).isSorted();
        assertThat(updates).extracting(update -> update.get("update_id")).contains(ownUpdateId).doesNotHaveDuplicates();
    }

    @Test
    void shouldWalkAWindowInPagesSeeingEveryUpdateOnceInTheDocumentedOrderWhileNewOnesArrive() {
        // given 250 updates two hours ago on 10 requests, step by step at the same moments (ties between requests)
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String prefix = prefix();
        List<Instant> moments = IntStream.range(0, 25)
                .mapToObj(step -> now.minus(Duration.ofHours(2)).plusSeconds(step * 10L)).toList();
        for (int r = 0; r < 10; r++) {
            seed(prefix + r, moments);
        }
        String window = "start_date=" + now.minus(Duration.ofHours(3)) + "&end_date=" + now.plus(Duration.ofHours(1));
        String lateRequest = file(DEV_KEY);

        // when a client walks the window 40 at a time, and an update is posted while it does
        List<Map<String, Object>> walked = new ArrayList<>();
        List<Map<String, Object>> page;
        int number = 0;
        do {
            number++;
            page = updates("?" + window + "&page_size=40&page=" + number);
            walked.addAll(page);
            if (number == 2) {
                postUpdate(DEV_KEY, lateRequest, "while-walking").expectStatus().isOk();
            }
        }
        while (page.size() == 40);

        // then it saw every update of the window exactly once, in the same order as the whole window at once
        List<Object> walkedIds = walked.stream().map(update -> update.get("update_id")).toList();
        assertThat(walkedIds).doesNotHaveDuplicates()
                .contains("open311-update:" + Open311Clients.DEVELOPMENT_CLIENT + ":while-walking")
                .isEqualTo(updates("?" + window).stream().map(update -> update.get("update_id")).toList());
        // oldest first, then by service_request_id, then by update_id
        List<Map<String, Object>> seeded = walked.stream()
                .filter(update -> String.valueOf(update.get("service_request_id")).startsWith(prefix)).toList();
        assertThat(seeded).hasSize(250).isSortedAccordingTo(Comparator
                .comparing((Map<String, Object> update) -> (String) update.get("updated_datetime"))
                .thenComparing(update -> (String) update.get("service_request_id"))
                .thenComparing(update -> (String) update.get("update_id")));
    }

    @Test
    void shouldRefuseWindowsLongerThanADayAndMalformedPages() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);

        updates("?start_date=" + now.minus(Duration.ofHours(24)) + "&end_date=" + now);
        assertRefused("?start_date=" + now.minus(Duration.ofHours(24)).minusSeconds(1) + "&end_date=" + now,
                "start_date to end_date: at most 24 hours apart");
        assertRefused("?page=0", "page: a whole number from 1");
        assertRefused("?page_size=501", "page_size: a whole number from 1 to 500");
    }

    @Test
    void shouldNeverShowAnInternalRequestOnOpen311() {
        // given an internal request (housing asks transportation for a pothole repair), routed, and a resident's
        Instant before = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String internal = fileAsStaff(Map.of("serviceCode", "pothole", "channel", "internal",
                "requestingDepartment", "housing", "location", Map.of("address", "Housing depot, 5 Depot Rd"),
                "attributes", Map.of("size", "small")));
        String residents = fileAsStaff(Map.of("serviceCode", "pothole", "channel", "phone",
                "location", Map.of("address", "9 Depot Rd"), "attributes", Map.of("size", "small")));
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        for (String id : List.of(internal, residents)) {
            kafka.send("city311.routing", id,
                    KafkaTestClient.example(EventContract.example("city311.request.routed.v1"), id));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> web.get().uri("/api/requests/{id}", id)
                    .exchange().expectBody().jsonPath("$.status").isEqualTo("routed"));
        }
        String window = "?start_date=" + before + "&end_date=" + clock.instant().plus(Duration.ofHours(1));

        // then Open311 lists, reads and feeds the resident's request and never the internal one
        assertThat(ids("/open311/v2/requests.json")).contains(residents).doesNotContain(internal);
        assertThat(ids("/open311/v2/requests.json?service_request_id=" + internal + "," + residents))
                .containsExactly(residents);
        web.get().uri("/open311/v2/requests/{id}.json", residents).exchange().expectStatus().isOk();
        web.get().uri("/open311/v2/requests/{id}.json", internal).exchange().expectStatus().isNotFound();
        assertThat(updates(window)).extracting(update -> update.get("service_request_id"))
                .contains(residents).doesNotContain(internal);
        // and no client, trusted or not, can post to it
        postUpdate(DEV_KEY, internal, "to-internal").expectStatus().isNotFound();
        web.get().uri("/api/requests/{id}", internal).exchange().expectBody().jsonPath("$.history.length()")
                .isEqualTo(2);
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    /**
     * The data of the client updates published about a request, in order, each checked against the contract, once
     * the last one posted ({@code lastUpdateId}) is there: the outbox relay publishes a request's events in order.
     */
    private List<Map<String, Object>> clientUpdates(String requestId, String lastUpdateId) {
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        kafka.await("city311.requests", record -> requestId.equals(record.key())
                && record.value().contains("\"updateId\":\"" + lastUpdateId + "\""), Duration.ofSeconds(20));
        return kafka.readAll("city311.requests", Duration.ofSeconds(2)).stream()
                .filter(record -> requestId.equals(record.key()))
                .filter(record -> record.value().contains(EventContract.REQUEST_CLIENT_UPDATED))
                .map(record -> {
                    EventContract.assertValid(record.value());
                    return object(record.value());
                })
                .map(event -> json.convertValue(event.get("data"), new TypeReference<Map<String, Object>>() {
                }))
                .toList();
    }

    private Map<String, Object> issue(String name, Boolean trusted) {
        Map<String, Object> body = trusted == null ? Map.of("name", name)
                : Map.of("name", name, "trustedIntegration", trusted);
        return object(web.post().uri("/api/open311/clients").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody());
    }

    private List<Map<String, Object>> clients() {
        return list(web.get().uri("/api/open311/clients").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    private String file(String apiKey) {
        String answer = post("/open311/v2/requests.json", form("api_key", apiKey, "service_code", "pothole",
                "attribute[size]", "large", "lat", "40.7141", "long", "-74.0062")).expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        return (String) list(answer).get(0).get("service_request_id");
    }

    private String fileAsStaff(Map<String, Object> body) {
        return (String) object(web.post().uri("/api/requests").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isCreated().expectBody(String.class).returnResult()
                .getResponseBody()).get("id");
    }

    private WebTestClient.ResponseSpec postUpdate(String apiKey, String requestId, String updateId) {
        return post(UPDATES, form("api_key", apiKey, "service_request_id", requestId, "update_id", updateId,
                "status", "OPEN", "updated_datetime", "2026-11-23T08:00:00Z", "description", "Seen again today"));
    }

    private WebTestClient.ResponseSpec post(String path, String body) {
        return web.post().uri(path).header(HttpHeaders.CONTENT_TYPE, FORM)
                .bodyValue(body.getBytes(StandardCharsets.UTF_8)).exchange();
    }

    /** A window's updates, however many (the client reads up to 16 MB). */
    private List<Map<String, Object>> updates(String query) {
        WebTestClient client = web.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 << 20))
                .build();
        return list(client.get().uri(UPDATES + query).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    private void assertRefused(String query, String named) {
        String body = web.get().uri(UPDATES + query).exchange().expectStatus().isBadRequest()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(list(body)).anySatisfy(error -> assertThat(error).containsEntry("code", 400)
                .extractingByKey("description").asString().contains(named));
    }

    private List<Object> ids(String uri) {
        return list(web.get().uri(uri).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody()).stream().map(request -> request.get("service_request_id")).toList();
    }

    /** A request whose public updates were recorded at the given moments (as a department's notes would be). */
    private void seed(String id, List<Instant> moments) {
        Instant filed = moments.get(0).minus(Duration.ofDays(1));
        List<StatusChange> history = new ArrayList<>();
        history.add(new StatusChange(RequestStatus.ROUTED, filed, "transportation", "Routed", id + "-routed",
                filed, null, "routed", null, "/city311/routing-service"));
        for (int i = 0; i < moments.size(); i++) {
            history.add(new StatusChange(RequestStatus.ROUTED, moments.get(i), "transportation", "Crew note " + i,
                    id + String.format("-%03d", i), moments.get(i), "public", "updated", "crew.test",
                    "/city311/routing-service"));
        }
        mongo.insert(new ServiceRequest(id, "pothole", "Seeded", Channel.PHONE, ServiceRequest.Segment.RESIDENT,
                new ServiceRequest.Location("1 Main St", null, null), null, Map.of(), "staff.test", null, null, null,
                RequestStatus.ROUTED, "transportation", 1, history, filed, moments.get(moments.size() - 1),
                List.of(), List.of(), null, null, null, null, null, null)).block(Duration.ofSeconds(10));
    }

    /** Ids of a test's own seeded requests start with this. */
    private static String prefix() {
        return "t" + UUID.randomUUID().toString().substring(0, 8) + "-";
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
}
