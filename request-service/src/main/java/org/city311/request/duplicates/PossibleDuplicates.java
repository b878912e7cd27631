package org.city311.request.duplicates;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

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
 * sending a second crew. Distance is computed in Java: the query narrows by a bounding box on plain fields, which
 * works on every MongoDB (the embedded store has no geo queries).
 */
@Component
public class PossibleDuplicates {

    private static final List<RequestStatus> OPEN = List.of(RequestStatus.SUBMITTED, RequestStatus.ROUTED,
            RequestStatus.IN_PROGRESS, RequestStatus.ON_HOLD, RequestStatus.REOPENED);
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

    public record Candidate(String id, RequestStatus status, String address, double distanceMeters,
            Instant submittedAt) {
    }

    /** Candidates for {@code request}, nearest first; none when it has no coordinates. */
    public Mono<List<Candidate>> of(ServiceRequest request) {
        ServiceRequest.Location location = request.location();
        if (location == null || location.latitude() == null) {
            return Mono.just(List.of());
        }
        return near(request.serviceCode(), location.latitude(), location.longitude(), properties.distanceMeters(),
                request.id())
                .map(found -> found.stream().map(near -> new Candidate(near.request().id(), near.request().status(),
                        near.request().location().address(), near.distanceMeters(), near.request().submittedAt()))
                        .toList());
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
     * themselves linked as duplicates, nearest first, at most {@value #MAX_CANDIDATES}: one query, narrowed by a
     * bounding box on plain fields.
     *
     * @param exceptId a request to leave out (the one just filed), or null
     */
    public Mono<List<Near>> near(String serviceCode, double latitude, double longitude, double radiusMeters,
            String exceptId) {
        double dLatitude = radiusMeters / METERS_PER_DEGREE_LATITUDE;
        double dLongitude = dLatitude / Math.max(0.01, Math.cos(Math.toRadians(latitude)));
        Criteria criteria = Criteria.where("serviceCode").is(serviceCode);
        if (exceptId != null) {
            criteria = criteria.and("_id").ne(exceptId);
        }
        Query nearby = Query.query(criteria
                        .and("status").in(OPEN)
                        .and("duplicateOf").isNull()
                        .and("submittedAt").gte(clock.instant().minus(properties.window()))
                        .and("location.latitude").gte(latitude - dLatitude).lte(latitude + dLatitude)
                        .and("location.longitude").gte(longitude - dLongitude).lte(longitude + dLongitude))
                .limit(MAX_CANDIDATES);
        nearby.fields().exclude("resident", "history", "outbox");
        return mongo.find(nearby, ServiceRequest.class)
                .map(other -> new Near(other, Math.round(distance(latitude, longitude, other.location().latitude(),
                        other.location().longitude()) * 10) / 10.0))
                .filter(near -> near.distanceMeters() <= radiusMeters)
                .sort(Comparator.comparingDouble(Near::distanceMeters))
                .collectList();
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
