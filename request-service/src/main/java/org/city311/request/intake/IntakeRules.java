package org.city311.request.intake;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.city311.platform.web.Problems.FieldProblem;
import org.city311.request.Channel;
import org.city311.request.ServiceRequest.Location;
import org.city311.request.ServiceRequest.Segment;
import org.city311.request.catalog.CatalogSnapshot;

/**
 * What intake decides about a new request before anything is stored, from the request and the catalog alone: the
 * service exists, its answers fit its definition ({@link ServiceDefinitionCheck}), the location is whole and inside
 * the city, free text keeps {@link TextRules}, and an internal request names a department that asks. Pure: no store,
 * no clock, no HTTP; the caller turns a refusal into its own answer (problem+json, or the Open311 error array).
 */
final class IntakeRules {

    private IntakeRules() {
    }

    /** A request intake accepts, with what the checks made of it. */
    record Checked(NewRequest body, CatalogSnapshot.Service service, Location location,
            Map<String, Object> attributes, Segment segment, Instant now, String team) {
    }

    /** Either the accepted request, or every field at fault (so staff can correct them all in one go). */
    record Decision(Checked checked, List<FieldProblem> problems) {

        Decision {
            problems = List.copyOf(problems);
        }

        boolean accepted() {
            return problems.isEmpty();
        }
    }

    /**
     * @param team the filing staff member's team, carried by the request-created event; null for none
     * @param now when it is filed
     */
    static Decision check(NewRequest body, CatalogSnapshot snapshot, String team, Instant now) {
        CatalogSnapshot.Service service = snapshot.service(body.serviceCode()).orElse(null);
        if (service == null) {
            // nothing else can be checked without its definition
            return new Decision(null, List.of(new FieldProblem("serviceCode",
                    "no service " + body.serviceCode() + " in the catalog")));
        }
        List<FieldProblem> problems = new ArrayList<>();
        TextRules.check("description", body.description(), true, problems);
        TextRules.check("filedBy", body.filedBy(), false, problems);
        Location location = location(body.location(), snapshot, problems);
        if (body.resident() != null) {
            TextRules.check("resident.firstName", body.resident().firstName(), false, problems);
            TextRules.check("resident.lastName", body.resident().lastName(), false, problems);
        }
        Segment segment = Segment.RESIDENT;
        if (body.requestingDepartment() != null) {
            segment = Segment.INTERNAL;
            if (snapshot.department(body.requestingDepartment()).isEmpty()) {
                problems.add(new FieldProblem("requestingDepartment", "no department " + body.requestingDepartment()));
            }
        }
        else if (body.channel() == Channel.INTERNAL) {
            problems.add(new FieldProblem("requestingDepartment", "an internal request names the department asking"));
        }
        Map<String, Object> attributes = ServiceDefinitionCheck.attributes(service, body.attributes(), problems);
        if (!problems.isEmpty()) {
            return new Decision(null, problems);
        }
        return new Decision(new Checked(body, service, location, attributes, segment, now, team), List.of());
    }

    private static Location location(NewRequest.NewLocation given, CatalogSnapshot snapshot,
            List<FieldProblem> problems) {
        if (given == null) {
            return null;
        }
        if ((given.latitude() == null) != (given.longitude() == null)) {
            problems.add(new FieldProblem("location", "latitude and longitude go together: give both or neither"));
            return null;
        }
        String address = given.address() == null || given.address().isBlank() ? null : given.address().strip();
        if (address == null && given.latitude() == null) {
            problems.add(new FieldProblem("location", "a location needs an address, or a latitude and longitude"));
            return null;
        }
        TextRules.check("location.address", address, false, problems);
        CatalogSnapshot.Bounds bounds = snapshot.city() == null ? null : snapshot.city().bounds();
        if (given.latitude() != null && bounds != null && !bounds.contains(given.latitude(), given.longitude())) {
            problems.add(new FieldProblem("location", "(" + given.latitude() + ", " + given.longitude()
                    + ") is outside the city"));
        }
        return new Location(address, given.latitude(), given.longitude());
    }
}
