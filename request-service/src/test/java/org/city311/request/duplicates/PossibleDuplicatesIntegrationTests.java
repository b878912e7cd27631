package org.city311.request.duplicates;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.city311.contracts.EventContract;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.StoreCommands;
import org.city311.platform.test.TestTokens;
import org.city311.request.CatalogFixture;
import org.city311.request.RequestStatus;
import org.city311.request.RequestStore;
import org.city311.request.ServiceRequest;
import org.city311.request.status.RequestView;
import org.city311.request.catalog.ServiceCatalogCopy;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Import;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Duplicate candidates read by the requests' cells, against the real store: the same answers as a scan of every
 * request gives, one query per look that names the cells and the open statuses (what the index serves), nothing
 * written besides the request, and candidates that follow requests as they leave, come back and are linked.
 */
@ServiceIntegrationTest
@Import(StoreCommands.Recording.class)
@TestPropertySource(properties = "city311.test.context=possible-duplicates")
@EmbeddedKafka(partitions = 3, topics = { "city311.requests", "city311.routing", "city311.catalog" })
class PossibleDuplicatesIntegrationTests {

    static final double METRE = 1 / 111_320.0;
    static final double LAT = 40.7301;
    static final double LNG = -73.9901;
    private static final List<String> SERVICES = List.of("pothole", "streetlight-out", "other", "heat-hot-water");
    private static final List<String> ROUTING = List.of("city311.routing");

    @Autowired
    WebTestClient web;

    @Autowired
    ServiceCatalogCopy catalog;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Autowired
    RequestStore requests;

    @Autowired
    PossibleDuplicates possibleDuplicates;

    @Autowired
    StoreCommands commands;

    @Autowired
    Clock clock;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    KafkaTestClient kafka;

    @BeforeEach
    void catalogPublishedByRoutingService() {
        CatalogFixture.published(catalog, brokers);
        kafka = new KafkaTestClient(brokers);
    }

    @Test
    void shouldOfferTheSameCandidatesAsAScanOfEveryRequestWithTwoThousandInHistory() {
        // given 2,000 requests of four services filed before requests kept their cell (the store of an earlier
        // version, which kept the open ones in a collection of their own), over 30 days, about a third of them
        // open, some linked as duplicates, then given their cells at start
        Random random = new Random(15);
        history(2_000, random, false);
        mongo.save(new Document("_id", "~backfilled").append("done", true), RequestCellsBackfill.OLD_CELLS).block();
        assertThat(RequestCellsBackfill.backfill(mongo, requests).block()).isGreaterThanOrEqualTo(2_000L);
        assertThat(mongo.collectionExists(RequestCellsBackfill.OLD_CELLS).block()).isFalse();
        assertThat(mongo.count(Query.query(Criteria.where("cell").exists(false).and("location.latitude").ne(null)),
                ServiceRequest.COLLECTION).block()).isZero();
        // (and the next start has nothing to do)
        assertThat(RequestCellsBackfill.backfill(mongo, requests).block()).isZero();

        // when candidates are looked for around 300 points, at the intake's distance and wider ones
        List<ServiceRequest> everyRequest = everyRequest();
        for (int look = 0; look < 300; look++) {
            String service = SERVICES.get(random.nextInt(SERVICES.size()));
            double lat = LAT + (random.nextDouble() - 0.5) * 0.008;
            double lng = LNG + (random.nextDouble() - 0.5) * 0.01;
            double radius = List.of(50.0, 120.0, 400.0, 1000.0).get(look % 4);

            // then they are those the scan finds, nearest first, at the same distances
            List<PossibleDuplicates.Near> near = possibleDuplicates.near(service, lat, lng, radius, null).block();
            List<PossibleDuplicates.Near> scanned = scan(everyRequest, service, lat, lng, radius, null);
            assertThat(near).as("look %d: %s within %s m of (%s, %s)", look, service, radius, lat, lng)
                    .extracting(one -> one.request().id() + "@" + one.distanceMeters() + "/"
                            + one.request().submittedAt())
                    .containsExactlyElementsOf(scanned.stream().map(one -> one.request().id() + "@"
                            + one.distanceMeters() + "/" + one.request().submittedAt()).toList());
        }
        // and requests filed now are offered what the scan finds, and found by the next look in turn
        for (int filing = 0; filing < 10; filing++) {
            double lat = LAT + (random.nextDouble() - 0.5) * 0.002;
            double lng = LNG + (random.nextDouble() - 0.5) * 0.002;
            List<String> expected = scan("pothole", lat, lng, possibleDuplicates.distanceMeters(), null).stream()
                    .map(one -> one.request().id()).toList();
            Map<String, Object> filed = file("pothole", lat, lng);
            assertThat(candidates(filed)).containsExactlyElementsOf(expected);
            assertThat(possibleDuplicates.near("pothole", lat, lng, 1, null).block())
                    .extracting(one -> one.request().id()).contains((String) filed.get("id"));
        }
    }

    @Test
    void shouldFileAndLookNearbyWithOneQueryByCellsAndOpenStatusesAndNoWriteBesidesTheRequest() {
        // given a history of requests around the point, and an open pothole 10 m from it
        history(300, new Random(7), true);
        String ten = (String) file("pothole", LAT + 10 * METRE, LNG).get("id");

        // when a pothole is filed at the point and a call-taker looks nearby, at the same distance and at 400 m
        commands.clear();
        Map<String, Object> filed = file("pothole", LAT, LNG);
        List<StoreCommands.Command> filing = commands.since(0);
        commands.clear();
        Map<?, ?> nearby = nearby("");
        List<StoreCommands.Command> looking = commands.since(0);
        commands.clear();
        Map<?, ?> wider = nearby("&radiusMeters=400");
        List<StoreCommands.Command> lookingWider = commands.since(0);

        // then all of them find the pothole nearby
        assertThat(candidates(filed)).contains(ten);
        assertThat(ids(nearby)).contains(ten);
        assertThat(ids(wider)).contains(ten);
        // and the filing wrote the request alone, and read its candidates with one query, as the look at the same
        // distance did: by cells and open statuses (a wider look, one query per 50 cells)
        // (the outbox relay's reads and removals run on their own time, and may fall in any of these windows)
        filing = filing.stream().filter(command -> !relays(command)).toList();
        looking = looking.stream().filter(command -> !relays(command)).toList();
        lookingWider = lookingWider.stream().filter(command -> !relays(command)).toList();
        assertThat(filing).filteredOn(command -> command.collection().equals(ServiceRequest.COLLECTION))
                .extracting(StoreCommands.Command::name).containsExactlyInAnyOrder("insert", "find");
        assertThat(filing).extracting(StoreCommands.Command::collection)
                .doesNotContain(RequestCellsBackfill.OLD_CELLS);
        assertThat(filing).filteredOn(command -> command.name().equals("find")
                        && command.collection().equals(ServiceRequest.COLLECTION))
                .singleElement().satisfies(PossibleDuplicatesIntegrationTests::namesCellsAndOpenStatuses);
        assertThat(looking).singleElement().satisfies(PossibleDuplicatesIntegrationTests::namesCellsAndOpenStatuses);
        assertThat(lookingWider).hasSizeBetween(2, 4)
                .allSatisfy(PossibleDuplicatesIntegrationTests::namesCellsAndOpenStatuses);
    }

    @Test
    void shouldStopOfferingARequestWhenItLeavesAndOfferItAgainWhenReopenedWhateverTheOrder() {
        // given a pothole filed, routed and accepted, and another one 20 m away
        String first = (String) file("pothole", LAT, LNG + 5 * METRE).get("id");
        String second = (String) file("pothole", LAT + 20 * METRE, LNG).get("id");
        routing(first, EventContract.REQUEST_ROUTED, 1);
        String accepted = routing(first, EventContract.REQUEST_ACCEPTED, 2);
        assertThat(offered(second)).contains(first);

        // when it is resolved, then the accepted event comes again and a late, older transfer arrives
        String resolved = routing(first, EventContract.REQUEST_RESOLVED, 4);
        redeliver(first, accepted);
        routing(first, EventContract.REQUEST_TRANSFERRED, 3);

        // then it is offered no more
        assertThat(offered(second)).doesNotContain(first);

        // when it is reopened, and its resolution comes again afterwards
        routing(first, EventContract.REQUEST_REOPENED, 5);
        redeliver(first, resolved);

        // then it is offered again
        assertThat(offered(second)).contains(first);

        // when both are closed in one go (one batch when the consumer reads them together)
        kafka.send("city311.routing", first, event(first, EventContract.REQUEST_CLOSED, 6));
        kafka.send("city311.routing", second, event(second, EventContract.REQUEST_CLOSED, 1));
        StoreCommands.awaitConsumed(brokers, "request-service", ROUTING);

        // then neither is offered near the other
        assertThat(offered(second)).doesNotContain(first);
        assertThat(offered(first)).doesNotContain(second);
    }

    @Test
    void shouldNoLongerOfferARequestLinkedAsADuplicate() {
        // given two open potholes 5 m apart
        String parent = (String) file("pothole", LAT - 100 * METRE, LNG).get("id");
        String child = (String) file("pothole", LAT - 105 * METRE, LNG).get("id");
        assertThat(possibleDuplicates.near("pothole", LAT - 105 * METRE, LNG, 50, null).block())
                .extracting(one -> one.request().id()).contains(parent, child);

        // when the second is linked to the first
        web.post().uri("/api/requests/{id}/duplicate-of/{parent}", child, parent).exchange().expectStatus().isOk();

        // then only its parent is offered near it
        assertThat(possibleDuplicates.near("pothole", LAT - 105 * METRE, LNG, 50, null).block())
                .extracting(one -> one.request().id()).contains(parent).doesNotContain(child);
    }

    /** The old look, a scan of every request (no cap before sorting): the oracle the cells must match. */
    private List<PossibleDuplicates.Near> scan(String serviceCode, double latitude, double longitude,
            double radiusMeters, String exceptId) {
        return scan(everyRequest(), serviceCode, latitude, longitude, radiusMeters, exceptId);
    }

    /** Every request stored, as a scan of the whole collection reads them. */
    private List<ServiceRequest> everyRequest() {
        Query all = new Query();
        all.fields().exclude("resident", "history", "outbox");
        return mongo.find(all, ServiceRequest.class).collectList().block();
    }

    /** The candidates a scan of every request finds: open, not a duplicate, filed within the window, in reach. */
    private List<PossibleDuplicates.Near> scan(List<ServiceRequest> everyRequest, String serviceCode, double latitude,
            double longitude, double radiusMeters, String exceptId) {
        Instant since = possibleDuplicates.since();
        // the box around the circle that the look's cells cover, in degrees (as the store-side scan read it)
        double dLatitude = radiusMeters / 111_320;
        double dLongitude = dLatitude / Math.max(0.01, Math.cos(Math.toRadians(latitude)));
        return everyRequest.stream()
                .filter(other -> other.serviceCode().equals(serviceCode) && !other.id().equals(exceptId)
                        && PossibleDuplicates.OPEN.contains(other.status()) && other.duplicateOf() == null
                        && !other.submittedAt().isBefore(since) && other.location() != null
                        && other.location().latitude() != null && other.location().longitude() != null
                        && Math.abs(other.location().latitude() - latitude) <= dLatitude
                        && Math.abs(other.location().longitude() - longitude) <= dLongitude)
                .map(other -> new PossibleDuplicates.Near(other, Math.round(PossibleDuplicates.distance(latitude,
                        longitude, other.location().latitude(), other.location().longitude()) * 10) / 10.0))
                .filter(near -> near.distanceMeters() <= radiusMeters)
                // at the same distance (to 10 cm), the scan's order was the store's: the one filed first
                .sorted(Comparator.comparingDouble(PossibleDuplicates.Near::distanceMeters)
                        .thenComparing(near -> near.request().submittedAt()))
                .limit(PossibleDuplicates.MAX_CANDIDATES)
                .toList();
    }

    /**
     * {@code count} requests around the point, copies of one filed here with their fields changed, stored in the
     * order they were filed (oldest first), over the last 30 days; with their cells, or as requests filed before
     * they kept one.
     */
    private void history(int count, Random random, boolean withCells) {
        String template = (String) file("pothole", LAT, LNG).get("id");
        Document filed = mongo.findById(template, Document.class, ServiceRequest.COLLECTION).block();
        mongo.remove(Query.query(Criteria.where("_id").is(template)), ServiceRequest.COLLECTION).block();
        List<Instant> times = new ArrayList<>();
        Instant now = clock.instant();
        for (int i = 0; i < count; i++) {
            times.add(now.minusSeconds(random.nextInt((int) Duration.ofDays(30).toSeconds())));
        }
        times.sort(Comparator.naturalOrder());
        List<Document> documents = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        RequestStatus[] statuses = RequestStatus.values();
        for (int i = 0; i < count; i++) {
            String id = "h" + Integer.toHexString(random.nextInt()) + "-" + i;
            Document copy = new Document(filed);
            copy.put("_id", id);
            copy.put("serviceCode", SERVICES.get(random.nextInt(SERVICES.size())));
            double latitude = LAT + (random.nextDouble() - 0.5) * 0.01;
            double longitude = LNG + (random.nextDouble() - 0.5) * 0.012;
            copy.put("location", new Document("address", "7 Bleecker St").append("latitude", latitude)
                    .append("longitude", longitude));
            copy.remove("cell");
            if (withCells) {
                copy.put("cell", CellGrid.cell(copy.getString("serviceCode"), latitude, longitude));
            }
            // mostly finished, as a city's history is
            RequestStatus status = random.nextInt(3) == 0 ? statuses[random.nextInt(statuses.length)]
                    : random.nextBoolean() ? RequestStatus.CLOSED : RequestStatus.RESOLVED;
            copy.put("status", status.name());
            copy.put("statusSequence", (long) random.nextInt(10));
            copy.put("submittedAt", Date.from(times.get(i)));
            copy.put("updatedAt", Date.from(times.get(i)));
            copy.put("outbox", List.of());
            copy.remove("duplicateOf");
            if (!ids.isEmpty() && random.nextInt(20) == 0) {
                copy.put("duplicateOf", ids.get(random.nextInt(ids.size())));
            }
            ids.add(id);
            documents.add(copy);
        }
        mongo.insert(documents, ServiceRequest.COLLECTION).collectList().block();
    }

    private Map<String, Object> file(String serviceCode, double lat, double lng) {
        Map<String, Object> body = new HashMap<>(Map.of("serviceCode", serviceCode, "channel", "phone",
                "description", "Hole by the hydrant",
                "location", Map.of("address", "7 Bleecker St", "latitude", lat, "longitude", lng)));
        if (serviceCode.equals("pothole")) {
            body.put("attributes", Map.of("size", "large"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> filed = web.post().uri("/api/requests").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isCreated().expectBody(Map.class).returnResult()
                .getResponseBody();
        return filed;
    }

    @SuppressWarnings("unchecked")
    private static List<String> candidates(Map<String, Object> filed) {
        List<Map<String, Object>> candidates = (List<Map<String, Object>>) filed.getOrDefault("possibleDuplicates",
                List.of());
        return candidates.stream().map(candidate -> (String) candidate.get("id")).toList();
    }

    private List<String> offered(String requestId) {
        ServiceRequest request = mongo.findById(requestId, ServiceRequest.class).block();
        return PossibleDuplicates.without(possibleDuplicates.at(request.serviceCode(), request.location().latitude(),
                request.location().longitude()).block(), requestId).stream().map(RequestView.PossibleDuplicate::id)
                .toList();
    }

    private static List<Object> ids(Map<?, ?> nearby) {
        return ((List<?>) nearby.get("items")).stream().<Object>map(item -> ((Map<?, ?>) item).get("id")).toList();
    }

    private Map<?, ?> nearby(String radius) {
        return web.get().uri("/api/requests/nearby?serviceCode=pothole&lat=" + LAT + "&long=" + LNG + radius)
                .header(HttpHeaders.AUTHORIZATION, TestTokens.staff("staff.amy")).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    /** Sends a routing event and waits until it is consumed; returns it, to deliver it again. */
    private String routing(String requestId, String type, long sequence) {
        return redeliver(requestId, event(requestId, type, sequence));
    }

    private String redeliver(String requestId, String event) {
        kafka.send("city311.routing", requestId, event);
        StoreCommands.awaitConsumed(brokers, "request-service", ROUTING);
        return event;
    }

    private static String event(String requestId, String type, long sequence) {
        return KafkaTestClient.example(EventContract.example(type), requestId)
                .replaceFirst("\"sequence\"\\s*:\\s*\\d+", "\"sequence\": " + sequence);
    }

    /** A find on the requests that names the cells and the open statuses, which the index {cell, status} serves. */
    private static void namesCellsAndOpenStatuses(StoreCommands.Command command) {
        assertThat(command.name()).isEqualTo("find");
        assertThat(command.collection()).isEqualTo(ServiceRequest.COLLECTION);
        BsonDocument filter = command.body().getDocument("filter");
        assertThat(filter.getDocument("cell").getArray("$in")).as(command.json()).isNotEmpty();
        assertThat(filter.getDocument("status").getArray("$in")).as(command.json())
                .hasSize(PossibleDuplicates.OPEN.size());
    }

    /** The outbox relay's own commands: its poll and reads of pending events, and its removal of sent ones. */
    private static boolean relays(StoreCommands.Command command) {
        return command.json().contains("outbox.0") || (command.name().equals("find")
                && command.json().contains("\"projection\": {\"outbox\"")) || (command.name().equals("update")
                && command.json().contains("$pull"));
    }

}
