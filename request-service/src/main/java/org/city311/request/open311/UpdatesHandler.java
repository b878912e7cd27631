package org.city311.request.open311;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import org.city311.request.RequestStatus;
import org.city311.request.ServiceRequest;
import org.city311.request.ServiceRequest.StatusChange;
import org.city311.request.catalog.CatalogSnapshot;
import org.city311.request.catalog.ServiceCatalogCopy;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * FixMyStreet's servicerequestupdates extension. GET lists the steps of requests' timelines as updates; POST
 * records what a client application says about a request as a public note on its timeline. A client cannot change
 * a request's status: the city's departments decide when their work is done, so the client's status is checked but
 * the request keeps its own.
 */
@Component
class UpdatesHandler {

    /** FixMyStreet's statuses, as they arrive on POST (upper case). */
    static final Set<String> CLIENT_STATUSES = Set.of("OPEN", "CLOSED", "FIXED", "IN_PROGRESS", "ACTION_SCHEDULED",
            "INVESTIGATING", "DUPLICATE", "NOT_COUNCILS_RESPONSIBILITY", "NO_FURTHER_ACTION", "INTERNAL_REFERRAL",
            "PLANNED", "FOR_TRIAGE", "CANCELLED", "REOPEN", "UNCHANGED");
    static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    static final int MAX_UPDATES = 1000;
    private static final int MAX_REQUESTS_SCANNED = 5000;
    private static final Pattern UPDATE_ID = Pattern.compile("[A-Za-z0-9._~-]{1,64}");
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final ReactiveMongoTemplate mongo;
    private final ServiceCatalogCopy catalog;
    private final Open311Clients clients;
    private final Calls calls;
    private final Clock clock;

    UpdatesHandler(ReactiveMongoTemplate mongo, ServiceCatalogCopy catalog, Open311Clients clients, Calls calls,
            Clock clock) {
        this.mongo = mongo;
        this.catalog = catalog;
        this.clients = clients;
        this.calls = calls;
        this.clock = clock;
    }

    /**
     * Our status in FixMyStreet's words: submitted and routed are {@code open}, in progress {@code in_progress},
     * on hold {@code action_scheduled} (work is planned, waiting on something), resolved {@code fixed}, closed
     * {@code closed}, reopened {@code reopen}.
     */
    static String fmsStatus(RequestStatus status) {
        return switch (status) {
            case SUBMITTED, ROUTED -> "open";
            case IN_PROGRESS -> "in_progress";
            case ON_HOLD -> "action_scheduled";
            case RESOLVED -> "fixed";
            case CLOSED -> "closed";
            case REOPENED -> "reopen";
        };
    }

    /**
     * The timeline steps recorded between start_date and end_date, oldest first, at most
     * {@value #MAX_UPDATES}. A step counts by when this service learned of it, not when it happened: a
     * department's note that reaches us an hour late (Kafka was down) still shows to a client that polls with
     * start_date = its last poll, once, in the window after its arrival. Default: the last 24 hours; one date alone: 24 hours before the end, or 90 days after
     * the start; at most 90 days apart. A request's creation is not an update, and a department's internal notes
     * are never shown.
     */
    /** When this service wrote the step down; steps from before that was kept count by when they happened. */
    private static Instant recorded(RequestRecords.PublicStep step) {
        return step.change().recordedAt() != null ? step.change().recordedAt() : step.change().at();
    }

    Mono<ServerResponse> list(ServerRequest request) {
        Format format = Calls.format(request);
        Parameters parameters = calls.query(request);
        Instant now = clock.instant();
        Instant start = parameters.datetime("start_date");
        Instant end = parameters.datetime("end_date");
        if (start == null && end == null) {
            start = now.minus(DEFAULT_WINDOW);
            end = now;
        }
        else if (start == null) {
            start = end.minus(DEFAULT_WINDOW);
        }
        else if (end == null) {
            end = start.plus(RequestFilters.MAX_SPAN);
        }
        if (end.isBefore(start)) {
            throw Open311Exception.badRequest("end_date is before start_date");
        }
        if (Duration.between(start, end).compareTo(RequestFilters.MAX_SPAN) > 0) {
            throw Open311Exception.badRequest("start_date to end_date: at most 90 days apart");
        }
        Instant from = start;
        Instant until = RequestFilters.endOfSecond(end);
        // Every step raises updatedAt to at least its own time and carries when it was recorded, so no request with
        // a step in the window is missed.
        Query touched = RequestRecords.publicFields(Query.query(new Criteria().orOperator(
                        Criteria.where("updatedAt").gte(from), Criteria.where("history.recordedAt").gte(from))
                .and("submittedAt").lt(until)))
                .with(Sort.by(Sort.Order.asc("updatedAt"), Sort.Order.asc("_id")))
                .limit(MAX_REQUESTS_SCANNED);
        Optional<CatalogSnapshot> snapshot = catalog.find();
        return mongo.find(touched, ServiceRequest.class)
                .flatMapIterable(found -> RequestRecords.timeline(found, snapshot).stream()
                        .filter(step -> recorded(step) != null && !recorded(step).isBefore(from)
                                && recorded(step).isBefore(until))
                        .filter(step -> step.change().eventId() != null)
                        .filter(step -> !"submitted".equals(step.change().kindOrStatus()) || step.fromClient())
                        .map(step -> new Step(found.id(), step))
                        .toList())
                .sort(Comparator.comparing((Step step) -> recorded(step.step())).thenComparing(Step::requestId))
                .take(MAX_UPDATES)
                .map(UpdatesHandler::update)
                .collectList()
                .flatMap(updates -> Calls.ok(format, Node.items("service_request_updates", updates)));
    }

    private record Step(String requestId, RequestRecords.PublicStep step) {
    }

    private static Node update(Step update) {
        RequestRecords.PublicStep step = update.step();
        return Node.group("request_update",
                Node.field("update_id", step.change().eventId()),
                Node.field("service_request_id", update.requestId()),
                Node.field("status", fmsStatus(step.status())),
                Node.field("updated_datetime", step.change().at()),
                Node.field("description", step.note()),
                Node.field("media_url", null),
                Node.field("external_status_code", step.status().wireName()));
    }

    /**
     * Records a client's update once: the timeline entry's event id is built from the client's name and its
     * update_id, so a retried POST finds it there and is answered with the same id.
     */
    Mono<ServerResponse> post(ServerRequest request) {
        Format format = Calls.format(request);
        return calls.form(request).flatMap(form -> clients.authenticate(form.text("api_key"))
                .switchIfEmpty(Mono.error(() -> Open311Exception.forbidden(form.text("api_key") == null
                        ? "api_key: required to post; ask the city for one"
                        : "api_key: not valid, or revoked")))
                .flatMap(client -> record(form, client))
                .flatMap(updateId -> Calls.ok(format, Node.items("service_request_updates",
                        List.of(Node.group("request_update", Node.field("update_id", updateId)))))));
    }

    private Mono<String> record(Parameters form, Open311Client client) {
        List<String> problems = new ArrayList<>();
        String requestId = required(form, "service_request_id", problems);
        String updateId = required(form, "update_id", problems);
        String status = required(form, "status", problems);
        required(form, "updated_datetime", problems);
        String description = required(form, "description", problems);
        if (updateId != null && !UPDATE_ID.matcher(updateId).matches()) {
            problems.add("update_id: 1 to 64 letters, digits, '.', '_', '~' or '-'");
        }
        if (status != null && !CLIENT_STATUSES.contains(status.strip().toUpperCase(Locale.ROOT))) {
            problems.add("status: '" + Parameters.abbreviate(status) + "' is not one of "
                    + CLIENT_STATUSES.stream().sorted().toList());
        }
        try {
            form.datetime("updated_datetime");
        }
        catch (Open311Exception ex) {
            problems.addAll(ex.descriptions());
        }
        if (description != null) {
            TextCheck.check("description", description, RequestsHandler.MAX_DESCRIPTION, true, problems);
        }
        if (!problems.isEmpty()) {
            throw Open311Exception.badRequest(problems);
        }
        String eventId = RequestRecords.CLIENT_UPDATE + client.name() + ":" + updateId;
        Mono<ServiceRequest> found = REQUEST_ID.matcher(requestId).matches()
                ? mongo.findOne(RequestRecords.publicFields(Query.query(Criteria.where("_id").is(requestId))),
                        ServiceRequest.class)
                : Mono.empty();
        return found
                .switchIfEmpty(Mono.error(() -> Open311Exception.notFound("service_request_id: no request '"
                        + Parameters.abbreviate(requestId) + "'")))
                .flatMap(stored -> {
                    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                    // A public note of kind "updated", like a department's own; the status stays the request's.
                    StatusChange note = new StatusChange(stored.status(), now, stored.department(),
                            "Update from " + client.name() + ": " + description.strip(), eventId, now, "public",
                            "updated", "open311:" + client.name(), "/city311/request-service");
                    // Guarded by the event id: a retried POST matches nothing and records nothing.
                    return mongo.updateFirst(
                            Query.query(Criteria.where("_id").is(stored.id()).and("history.eventId").ne(eventId)),
                            new Update().push("history", note).max("updatedAt", now),
                            ServiceRequest.class);
                })
                .thenReturn(eventId);
    }

    private static String required(Parameters form, String name, List<String> problems) {
        String value = form.text(name);
        if (value == null) {
            problems.add(name + ": required");
        }
        return value;
    }
}
