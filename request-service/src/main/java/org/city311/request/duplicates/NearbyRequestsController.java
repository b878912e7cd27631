package org.city311.request.duplicates;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import org.city311.platform.security.Caller;
import org.city311.platform.web.Problems;
import org.city311.platform.web.Problems.FieldProblem;
import org.city311.request.RequestStatus;
import org.city311.request.ServiceRequest;
import org.city311.request.access.RequestAccess;
import org.city311.request.catalog.CatalogSnapshot;
import org.city311.request.catalog.ServiceCatalogCopy;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Duplicate candidates before filing: the open requests of a service near a point, so that a call-taker can add
 * the caller to one ("this is the same") instead of filing a second. The same look as intake's
 * {@code possibleDuplicates} (same distance by default, same window, read by {@link PossibleDuplicates}); no
 * resident's details.
 * A caller who may not read a candidate (another department's, for an agent) sees it without its description,
 * as intake's answer shows it.
 */
@RestController
class NearbyRequestsController {

    static final double MAX_RADIUS_METERS = 1000;
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final PossibleDuplicates possibleDuplicates;
    private final ServiceCatalogCopy catalog;

    NearbyRequestsController(PossibleDuplicates possibleDuplicates, ServiceCatalogCopy catalog) {
        this.possibleDuplicates = possibleDuplicates;
        this.catalog = catalog;
    }

    /**
     * @param radiusMeters how far from the point, in metres; {@code since} how far back requests were filed
     * @param items nearest first
     */
    record Nearby(String serviceCode, double latitude, double longitude, double radiusMeters, Instant since,
            List<Item> items) {
    }

    /** An open request close by: what a call-taker reads out to tell whether it is the caller's problem. */
    record Item(String id, RequestStatus status, String description, String address, Double latitude,
            Double longitude, double distanceMeters, Instant submittedAt, Instant updatedAt, String department) {

        static Item of(PossibleDuplicates.Near near, boolean readable) {
            ServiceRequest request = near.request();
            ServiceRequest.Location location = request.location();
            return new Item(request.id(), request.status(), readable ? request.description() : null,
                    location.address(), location.latitude(), location.longitude(), near.distanceMeters(),
                    request.submittedAt(), request.updatedAt(), request.department());
        }
    }

    @GetMapping("/api/requests/nearby")
    Mono<Nearby> nearby(@RequestParam(required = false) String serviceCode,
            @RequestParam(name = "lat", required = false) String lat,
            @RequestParam(name = "long", required = false) String lng,
            @RequestParam(required = false) String radiusMeters, Caller caller) {
        List<FieldProblem> problems = new ArrayList<>();
        if (serviceCode == null || serviceCode.isBlank()) {
            problems.add(new FieldProblem("serviceCode", "required: the service the caller reports"));
        }
        else if (!CODE.matcher(serviceCode).matches()) {
            problems.add(new FieldProblem("serviceCode", "letters, digits, '.', '_' or '-'"));
        }
        Double latitude = number("lat", lat, -90, 90, problems);
        Double longitude = number("long", lng, -180, 180, problems);
        double radius = possibleDuplicates.distanceMeters();
        if (radiusMeters != null && !radiusMeters.isBlank()) {
            Double given = number("radiusMeters", radiusMeters, 1, MAX_RADIUS_METERS, problems);
            radius = given == null ? radius : given;
        }
        if (problems.isEmpty()) {
            CatalogSnapshot known = catalog.current();
            if (known.service(serviceCode).isEmpty()) {
                problems.add(new FieldProblem("serviceCode", "no service " + serviceCode + " in the catalog"));
            }
            CatalogSnapshot.Bounds bounds = known.city() == null ? null : known.city().bounds();
            if (bounds != null && !bounds.contains(latitude, longitude)) {
                problems.add(new FieldProblem("lat", "(" + latitude + ", " + longitude + ") is outside the city"));
            }
        }
        if (!problems.isEmpty()) {
            return Mono.error(Problems.badRequest(problems));
        }
        double within = radius;
        Instant since = possibleDuplicates.since();
        return possibleDuplicates.near(serviceCode, latitude, longitude, within, null)
                .map(found -> new Nearby(serviceCode, latitude, longitude, within, since, found.stream()
                        .map(near -> Item.of(near, RequestAccess.mayRead(caller, near.request())))
                        .toList()));
    }

    private static Double number(String field, String given, double min, double max, List<FieldProblem> problems) {
        if (given == null || given.isBlank()) {
            problems.add(new FieldProblem(field, "required: a number from " + format(min) + " to " + format(max)));
            return null;
        }
        try {
            double value = Double.parseDouble(given.strip());
            if (Double.isFinite(value) && value >= min && value <= max) {
                return value;
            }
        }
        catch (NumberFormatException ex) {
            // reported below
        }
        problems.add(new FieldProblem(field, "a number from " + format(min) + " to " + format(max)));
        return null;
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
