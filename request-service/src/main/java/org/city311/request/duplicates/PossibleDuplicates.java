package org.city311.request.duplicates;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.city311.request.RequestStatus;
import org.city311.request.RequestStore;
import org.city311.request.ServiceRequest;
import org.city311.request.status.RequestView.PossibleDuplicate;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * Open requests for the same service close by, offered to staff when they file one, so they can link it instead of
 * sending a second crew. Every request with coordinates carries its {@code cell} ({@link CellGrid}: its service and a
 * square of about 111 m), indexed with its status: a look reads the open requests of the few cells around the point,
 * in one query that any store serves from that index (the embedded store has no geo queries), and computes
 * distances in Java. Its cost follows the open requests nearby, not the history, and nothing besides the request
 * itself is written to keep it: a request that closes, comes back or is linked is found, or not, by its own status.
 */
@Component
public class PossibleDuplicates {

    /** Statuses in which a request is offered as a possible duplicate. */
    public static final Set<RequestStatus> OPEN = EnumSet.of(RequestStatus.SUBMITTED, RequestStatus.ROUTED,
            RequestStatus.IN_PROGRESS, RequestStatus.ON_HOLD, RequestStatus.REOPENED);
    /** Cells named by one query at most: with every open status, the combinations one index lookup takes. */
    static final int CELLS_PER_QUERY = 50;
    private static final double EARTH_RADIUS_METERS = 6_371_000;
    private static final double METERS_PER_DEGREE_LATITUDE = 111_320;
    /** Requests read at most for one look: within a few hundred metres and two weeks, plenty. */
    static final int MAX_CANDIDATES = 50;

    private final ReactiveMongoTemplate mongo;
    private final Properties properties;
    private final Clock clock;

    PossibleDuplicates(ReactiveMongoTemplate mongo, Properties properties, Clock clock) {
        this.mongo = mongo;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * @param distanceMeters how close an open request of the same service must be
     * @param window how far back it may have been filed
     */
    @ConfigurationProperties("city311.duplicates")
    record Properties(@DefaultValue("50") double distanceMeters, @DefaultValue("14d") Duration window) {
    }

    /** The cell a request of that service at that location is kept under; null without coordinates. */
    public static String cell(String serviceCode, ServiceRequest.Location location) {
        if (serviceCode == null || location == null || location.latitude() == null
                || location.longitude() == null) {
            return null;
        }
        return CellGrid.cell(serviceCode, location.latitude(), location.longitude());
    }

    /**
     * Candidates for a request of {@code serviceCode} at that point (none without coordinates), nearest first: looked
     * up while the request is being filed, so that the look and the filing's writes run side by side. The caller
     * leaves the filed request itself out ({@link #without}), which the look may find when it is a repeated filing.
     */
    public Mono<List<PossibleDuplicate>> at(String serviceCode, Double latitude, Double longitude) {
        if (latitude == null || longitude == null) {
            return Mono.just(List.of());
        }
        return near(serviceCode, latitude, longitude, properties.distanceMeters(), null)
                .map(found -> found.stream().map(near -> new PossibleDuplicate(near.request().id(), near.request().status(),
                        near.request().location().address(), near.distanceMeters(), near.request().submittedAt()))
                        .toList());
    }

    /** The candidates but the request itself. */
    public static List<PossibleDuplicate> without(List<PossibleDuplicate> candidates, String requestId) {
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
     * themselves linked as duplicates, nearest first, at most {@value #MAX_CANDIDATES}: one query by the cells that
     * cover the bounding box and the open statuses ({@value #CELLS_PER_QUERY} cells a query, so a look of a
     * kilometre takes a few), every condition checked again on what it reads.
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
        List<List<String>> queries = new ArrayList<>();
        for (int from = 0; from < covering.size(); from += CELLS_PER_QUERY) {
            queries.add(covering.subList(from, Math.min(covering.size(), from + CELLS_PER_QUERY)));
        }
        return Flux.fromIterable(queries)
                .flatMap(cells -> {
                    Query open = Query.query(Criteria.where(RequestStore.CELL).in(cells).and(RequestStore.STATUS).in(OPEN)
                            .and(RequestStore.DUPLICATE_OF).isNull().and("submittedAt").gte(since));
                    open.fields().exclude("resident", RequestStore.HISTORY, RequestStore.OUTBOX);
                    return mongo.find(open, ServiceRequest.class);
                })
                .filter(other -> !other.id().equals(exceptId) && serviceCode.equals(other.serviceCode())
                        && OPEN.contains(other.status()) && other.duplicateOf() == null
                        && other.submittedAt() != null && !other.submittedAt().isBefore(since)
                        && other.location() != null && other.location().latitude() != null
                        && other.location().longitude() != null
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
