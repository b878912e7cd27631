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
        double latitude = location.latitude();
        double longitude = location.longitude();
        double dLatitude = properties.distanceMeters() / METERS_PER_DEGREE_LATITUDE;
        double dLongitude = dLatitude / Math.max(0.01, Math.cos(Math.toRadians(latitude)));
        Query nearby = Query.query(Criteria.where("serviceCode").is(request.serviceCode())
                        .and("_id").ne(request.id())
                        .and("status").in(OPEN)
                        .and("duplicateOf").isNull()
                        .and("submittedAt").gte(clock.instant().minus(properties.window()))
                        .and("location.latitude").gte(latitude - dLatitude).lte(latitude + dLatitude)
                        .and("location.longitude").gte(longitude - dLongitude).lte(longitude + dLongitude))
                .limit(50);
        return mongo.find(nearby, ServiceRequest.class)
                .map(other -> new Candidate(other.id(), other.status(), other.location().address(),
                        Math.round(distance(latitude, longitude, other.location().latitude(),
                                other.location().longitude()) * 10) / 10.0, other.submittedAt()))
                .filter(candidate -> candidate.distanceMeters() <= properties.distanceMeters())
                .sort(Comparator.comparingDouble(Candidate::distanceMeters))
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
