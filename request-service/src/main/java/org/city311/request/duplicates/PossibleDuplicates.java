package org.city311.request.duplicates;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.Document;

import reactor.core.publisher.Mono;

import org.city311.request.RequestStatus;
import org.city311.request.ServiceRequest;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * Open requests for the same service close by, offered to staff when they file one, so they can link it instead of
 * sending a second crew. Distance is computed in Java, on the few requests the {@link OpenRequestCells} of the
 * bounding box name: reads by {@code _id} only, which every MongoDB serves from its unique index (the embedded store
 * has no geo queries, and serves no other index).
 */
@Component
public class PossibleDuplicates {

    private static final Set<RequestStatus> OPEN = OpenRequestCells.OPEN;
    private static final double EARTH_RADIUS_METERS = 6_371_000;
    private static final double METERS_PER_DEGREE_LATITUDE = 111_320;
    /** Requests read at most for one look: within a few hundred metres and two weeks, plenty. */
    static final int MAX_CANDIDATES = 50;

    private final ReactiveMongoTemplate mongo;
    private final OpenRequestCells cells;
    private final Properties properties;
    private final Clock clock;

    PossibleDuplicates(ReactiveMongoTemplate mongo, OpenRequestCells cells, Properties properties, Clock clock) {
        this.mongo = mongo;
        this.cells = cells;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * @param distanceMeters how close an open request of the same service must be
     * @param window how far back it may have been filed
     * @param gather how long new filings' cell entries wait for others to be written with ({@link OpenRequestCells}):
     *        what a filing's answer may wait for them; zero, each on its own
     */
    @ConfigurationProperties("city311.duplicates")
    record Properties(@DefaultValue("50") double distanceMeters, @DefaultValue("14d") Duration window,
            @DefaultValue("30ms") Duration gather) {
    }

    public record Candidate(String id, RequestStatus status, String address, double distanceMeters,
            Instant submittedAt) {
    }

    /**
     * Candidates for a request of {@code serviceCode} at that point (none without coordinates), nearest first: looked
     * up while the request is being filed, so that the look and the filing's writes run side by side. The caller
     * leaves the filed request itself out ({@link #without}), which the look may find when it is a repeated filing.
     */
    public Mono<List<Candidate>> at(String serviceCode, Double latitude, Double longitude) {
        if (latitude == null || longitude == null) {
            return Mono.just(List.of());
        }
        return near(serviceCode, latitude, longitude, properties.distanceMeters(), null)
                .map(found -> found.stream().map(near -> new Candidate(near.request().id(), near.request().status(),
                        near.request().location().address(), near.distanceMeters(), near.request().submittedAt()))
                        .toList());
    }

    /** The candidates but the request itself. */
    public static List<Candidate> without(List<Candidate> candidates, String requestId) {
        return candidates.stream().filter(candidate -> !candidate.id().equals(requestId)).toList();
    }

    /** How close an open request of the same service must be to be offered, unless the caller says otherwise. */
    public double distanceMeters() {
        return properties.distanceMeters();
    }

    /** The earliest filing time a request may have to be offered now. */
    public Instant since() {
        return clock.instant().minus(properties.window());
    }

    /** An open request close by, read without its resident, timeline or pending events. */
    public record Near(ServiceRequest request, double distanceMeters) {
    }

    /**
     * Open requests of {@code serviceCode} within {@code radiusMeters} of the point, filed within the window and not
     * themselves linked as duplicates, nearest first, at most {@value #MAX_CANDIDATES}. Two reads by {@code _id}, so
     * that the cost does not grow with the history: the {@link OpenRequestCells} covering the bounding box, then
     * (when some entry lies within the radius) those requests themselves, on which every condition is checked again,
     * since the cells may hold a request that has just left.
     *
     * @param exceptId a request to leave out (the one just filed), or null
     */
    public Mono<List<Near>> near(String serviceCode, double latitude, double longitude, double radiusMeters,
            String exceptId) {
        double dLatitude = radiusMeters / METERS_PER_DEGREE_LATITUDE;
        double dLongitude = dLatitude / Math.max(0.01, Math.cos(Math.toRadians(latitude)));
        Box box = new Box(latitude - dLatitude, latitude + dLatitude, longitude - dLongitude, longitude + dLongitude);
        Instant since = clock.instant().minus(properties.window());
        List<String> covering = CellGrid.covering(serviceCode, box.minLatitude(), box.maxLatitude(),
                box.minLongitude(), box.maxLongitude());
        return cells.read(covering)
                .concatMapIterable(cell -> cell.get("open", new Document()).entrySet())
                .filter(entry -> !entry.getKey().equals(exceptId) && entry.getValue() instanceof Document)
                .filter(entry -> {
                    Document at = (Document) entry.getValue();
                    Date submittedAt = at.getDate("submittedAt");
                    Double lat = at.getDouble("lat");
                    Double lon = at.getDouble("lon");
                    return submittedAt != null && !submittedAt.toInstant().isBefore(since) && lat != null
                            && lon != null && box.contains(lat, lon)
                            && distance(latitude, longitude, lat, lon) <= radiusMeters + 1;
                })
                .map(Map.Entry::getKey)
                .collectList()
                .flatMap(ids -> ids.isEmpty() ? Mono.just(List.<Near>of()) : read(ids, serviceCode, latitude,
                        longitude, radiusMeters, box, since));
    }

    /** The requests the cells named, as stored now, held to every condition of a candidate. */
    private Mono<List<Near>> read(List<String> ids, String serviceCode, double latitude, double longitude,
            double radiusMeters, Box box, Instant since) {
        Query named = Query.query(Criteria.where("_id").in(ids));
        named.fields().exclude("resident", "history", "outbox");
        return mongo.find(named, ServiceRequest.class)
                .filter(other -> serviceCode.equals(other.serviceCode()) && OPEN.contains(other.status())
                        && other.duplicateOf() == null && other.submittedAt() != null
                        && !other.submittedAt().isBefore(since) && other.location() != null
                        && other.location().latitude() != null && other.location().longitude() != null
                        && box.contains(other.location().latitude(), other.location().longitude()))
                .map(other -> new Near(other, Math.round(distance(latitude, longitude, other.location().latitude(),
                        other.location().longitude()) * 10) / 10.0))
                .filter(near -> near.distanceMeters() <= radiusMeters)
                .sort(NEAREST)
                .take(MAX_CANDIDATES)
                .collectList();
    }

    /** Nearest first; at the same distance, the one filed first. */
    private static final Comparator<Near> NEAREST = Comparator.comparingDouble(Near::distanceMeters)
            .thenComparing(near -> near.request().submittedAt())
            .thenComparing(near -> near.request().id());

    /** The bounding box of a look, edges included. */
    private record Box(double minLatitude, double maxLatitude, double minLongitude, double maxLongitude) {

        boolean contains(double latitude, double longitude) {
            return latitude >= minLatitude && latitude <= maxLatitude && longitude >= minLongitude
                    && longitude <= maxLongitude;
        }
    }

    /** Great-circle distance (haversine): plenty precise at a few hundred metres. */
    static double distance(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(Math.toRadians(lat1))
                * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_RADIUS_METERS * Math.asin(Math.sqrt(a));
    }
}
