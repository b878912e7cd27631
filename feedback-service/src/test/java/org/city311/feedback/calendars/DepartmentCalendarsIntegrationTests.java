package org.city311.feedback.calendars;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.city311.contracts.EventContract;
import org.city311.feedback.Events;
import org.city311.platform.calendar.BusinessCalendar;
import org.city311.platform.events.CloudEvent;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.security.Role;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.MongoWireTestServer;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.TestTokens;
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
 * The departments' calendars from the catalog routing-service publishes: a follow-up falls due in the department's
 * business days, its holidays skipped, and the calendars outlive a restart and an older catalog replayed.
 */
@ServiceIntegrationTest
@TestPropertySource(properties = "city311.test.context=department-calendars")
// A broker of its own: the example catalog published here (three departments) must not become, for the classes that
// share the module's broker and read the catalog topic from its start, the catalog their ideas are checked against.
@EmbeddedKafka(partitions = 3, topics = { "city311.requests", "city311.routing", "city311.feedback", "city311.catalog" })
class DepartmentCalendarsIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebTestClient web;

    @Autowired
    DepartmentCalendars calendars;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Autowired
    CloudEvents cloudEvents;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Test
    void shouldSkipTheDepartmentsHolidaysInAFollowUpsDueDate() {
        // given the catalog routing-service published: Transportation works Monday to Friday, Thanksgiving
        // (Thursday 26 November 2026) off
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        kafka.send("city311.catalog", "catalog", EventContract.example(EventContract.CATALOG_PUBLISHED));
        await().atMost(WAIT).until(() -> calendars.of("transportation").isPresent());

        // and a request of Transportation, resolved
        String id = Events.newRequestId();
        kafka.send("city311.routing", id, Events.example(EventContract.REQUEST_ROUTED, id, Map.of()));
        kafka.send("city311.routing", id, Events.example(EventContract.REQUEST_RESOLVED, id, Map.of()));

        // when a caller tells staff on Monday 23 November that they are very dissatisfied
        JsonNode[] feedback = new JsonNode[1];
        await().atMost(WAIT).untilAsserted(() -> feedback[0] = JSON.readTree(web.post().uri("/api/feedback")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("requestId", id, "satisfaction", 1,
                        "source", "phone", "resolved", true))
                .exchange().expectStatus().isCreated().expectBody().returnResult().getResponseBody()));

        // then the follow-up is due at the end of Tuesday 1 December: five of Transportation's business days, not
        // the Monday that five weekdays would give
        JsonNode followUps = JSON.readTree(web.get().uri("/api/follow-ups?department=transportation")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.supervisor("transportation")).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody());
        JsonNode ours = null;
        for (JsonNode one : followUps) {
            if (id.equals(one.path("requestId").asString())) {
                ours = one;
            }
        }
        assertThat(ours).as(followUps.toString()).isNotNull();
        assertThat(Instant.parse(ours.path("dueAt").asString())).isEqualTo(Instant.parse("2026-12-02T04:59:59Z"));
        assertThat(feedback[0].path("followUpId").asString()).isEqualTo(ours.path("id").asString());
    }

    @Test
    void shouldKeepTheNewestCatalogsCalendarsAcrossARestartAndAnOlderCatalogReplayed() {
        // given the published catalog, taken in
        String example = EventContract.example(EventContract.CATALOG_PUBLISHED);
        CloudEvent published = cloudEvents.parse(example.getBytes(StandardCharsets.UTF_8));
        DepartmentCalendars.PublishedHours hours = JSON.treeToValue(JSON.readTree(example).path("data"),
                DepartmentCalendars.PublishedHours.class);
        calendars.on(hours, published);

        // when an older catalog arrives again (a replay), in which Transportation worked every day
        BusinessCalendar.Hours everyDay = new BusinessCalendar.Hours("America/New_York", Map.of("monday",
                "00:00-24:00", "tuesday", "00:00-24:00", "wednesday", "00:00-24:00", "thursday", "00:00-24:00",
                "friday", "00:00-24:00", "saturday", "00:00-24:00", "sunday", "00:00-24:00"), List.of());
        calendars.on(new DepartmentCalendars.PublishedHours("2026.10.1", hours.publishedAt().minus(Duration.ofDays(30)),
                List.of(new DepartmentCalendars.PublishedHours.Department("transportation", everyDay)), List.of()),
                published);

        // then Transportation still has Thanksgiving off and no weekend, here and in a copy started on the store
        for (DepartmentCalendars one : new DepartmentCalendars[] { calendars, new DepartmentCalendars(mongo) }) {
            BusinessCalendar transportation = one.of("transportation").orElseThrow();
            assertThat(transportation.isBusinessDay(LocalDate.parse("2026-11-26"))).isFalse();
            assertThat(transportation.isBusinessDay(LocalDate.parse("2026-11-28"))).isFalse();
            assertThat(transportation.isBusinessDay(LocalDate.parse("2026-11-27"))).isTrue();
            // a department the catalog publishes no hours for has no calendar: weekdays stand in for it
            assertThat(one.of("housing")).isEmpty();
        }
    }

    @Test
    void shouldGiveEveryInstanceTheCalendarsWhicheverStoredThemFirst() {
        // given two instances on one store, started before any catalog arrived
        try (MongoClient client = MongoClients.create(MongoWireTestServer.uri())) {
            ReactiveMongoTemplate store = new ReactiveMongoTemplate(client, "calendars_" + System.nanoTime());
            DepartmentCalendars first = new DepartmentCalendars(store);
            DepartmentCalendars second = new DepartmentCalendars(store);
            String example = EventContract.example(EventContract.CATALOG_PUBLISHED);
            CloudEvent published = cloudEvents.parse(example.getBytes(StandardCharsets.UTF_8));
            DepartmentCalendars.PublishedHours hours = JSON.treeToValue(JSON.readTree(example).path("data"),
                    DepartmentCalendars.PublishedHours.class);

            // when each reads the catalog (each instance reads the whole topic), the first storing it
            first.on(hours, published);
            second.on(hours, published);

            // then both count on Transportation's calendar, not only the one whose write went in
            assertThat(first.of("transportation")).isPresent();
            assertThat(second.of("transportation")).isPresent();
        }
    }

    @Test
    void shouldRefuseAnIdeaForADepartmentOrServiceTheCatalogDoesNotListOnceOneArrived() {
        // given a store and an instance that has no catalog yet: any department's code in form is taken
        try (MongoClient client = MongoClients.create(MongoWireTestServer.uri())) {
            ReactiveMongoTemplate store = new ReactiveMongoTemplate(client, "calendars_" + System.nanoTime());
            DepartmentCalendars before = new DepartmentCalendars(store);
            assertThat(before.listsDepartment("fire-brigade")).isEmpty();
            assertThat(before.listsService("hydrant-leak")).isEmpty();
        }

        // when the catalog has arrived (triage, transportation and housing; four services)
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        kafka.send("city311.catalog", "catalog", EventContract.example(EventContract.CATALOG_PUBLISHED));
        await().atMost(WAIT).until(() -> calendars.listsDepartment("transportation").orElse(false));
        String staff = TestTokens.ofTeam("ideas.caller-catalog", null, "call-centre", Role.STAFF);

        // then an idea for a department it does not list is refused on its field, and nothing is stored
        long stored = mongo.count(new org.springframework.data.mongodb.core.query.Query(), "ideas").block();
        idea(staff, Map.of("title", "Faster hydrant repairs", "change", "Tell callers when the crew comes.",
                "department", "fire-brigade")).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("department")
                .jsonPath("$.errors[0].message").value(message -> assertThat((String) message).contains("fire-brigade"));
        idea(staff, Map.of("title", "Ask for the pole number", "change", "It saves a visit.", "department",
                "transportation", "serviceCode", "hydrant-leak")).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("serviceCode");
        assertThat(mongo.count(new org.springframework.data.mongodb.core.query.Query(), "ideas").block()).isEqualTo(stored);
        // and one for a department and service it lists is taken
        idea(staff, Map.of("title", "Ask for the pole number", "change", "It saves a visit.", "department",
                "transportation", "serviceCode", "streetlight-out")).expectStatus().isCreated();
    }

    private WebTestClient.ResponseSpec idea(String token, Map<String, String> body) {
        return web.post().uri("/api/ideas").header(HttpHeaders.AUTHORIZATION, token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }
}
