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

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.city311.contracts.Topics;
import org.city311.platform.events.CloudEvent;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.outbox.PendingEvent;
import org.city311.request.RequestStatus;
import org.city311.request.RequestStore;
import org.city311.request.ServiceRequest;
import org.city311.request.ServiceRequest.StatusChange;
import org.city311.request.catalog.CatalogSnapshot;
import org.city311.request.catalog.ServiceCatalogCopy;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * FixMyStreet's servicerequestupdates extension. GET lists the steps of requests' timelines as updates; POST
 * records what a client application says about a request as a public note on its timeline, and publishes it as
 * {@link ClientUpdated} in the same write. This service does not change the request's status for it: routing-service
 * decides what the client's status means (a trusted integration's FIXED resolves the request; any other client's is
 * the customer's word), and the status follows its events.
 */
@Component
class UpdatesHandler {

    /** FixMyStreet's statuses, as they arrive on POST (upper case). */
    static final Set<String> CLIENT_STATUSES = Set.of("OPEN", "CLOSED", "FIXED", "IN_PROGRESS", "ACTION_SCHEDULED",
            "INVESTIGATING", "DUPLICATE", "NOT_COUNCILS_RESPONSIBILITY", "NO_FURTHER_ACTION", "INTERNAL_REFERRAL",
            "PLANNED", "FOR_TRIAGE", "CANCELLED", "REOPEN", "UNCHANGED");
    /** The longest window one GET covers: a busy day's updates in one answer, at most. */
    static final Duration MAX_WINDOW = Duration.ofHours(24);
    static final int DEFAULT_PAGE_SIZE = 100;
    /** Public updates from client applications one request takes, from all of them, and from each. */
    static final int MAX_CLIENT_UPDATES = 100;
    static final int MAX_UPDATES_PER_CLIENT = 20;
    /** Reads and writes again when another change came in between (with a growing, jittered pause). */
    private static final int MAX_RETRIES = 10;
    /** Oldest recorded first, then by service_request_id, then by update_id: one total order, the same each time. */
    private static final Comparator<Step> ORDER = Comparator.comparing((Step step) -> recorded(step.step()))
            .thenComparing(Step::requestId)
            .thenComparing(step -> step.step().change().eventId());
    private static final Pattern UPDATE_ID = Pattern.compile("[A-Za-z0-9._~-]{1,64}");
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final ReactiveMongoTemplate mongo;
    private final ServiceCatalogCopy catalog;
    private final Open311Clients clients;
    private final Calls calls;
    private final CloudEvents cloudEvents;
    private final RequestStore requests;
    private final Clock clock;

    UpdatesHandler(ReactiveMongoTemplate mongo, ServiceCatalogCopy catalog, Open311Clients clients, Calls calls,
            CloudEvents cloudEvents, RequestStore requests, Clock clock) {
        this.mongo = mongo;
        this.catalog = catalog;
        this.clients = clients;
        this.calls = calls;
        this.cloudEvents = cloudEvents;
        this.requests = requests;
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

    /** When this service wrote the step down; steps from before that was kept count by when they happened. */
    private static Instant recorded(RequestRecords.PublicStep step) {
        return step.change().recordedAt() != null ? step.change().recordedAt() : step.change().at();
    }

    /**
     * Every timeline step recorded between start_date and end_date, in {@link #ORDER}. A step counts by when this
     * service learned of it, not when it happened: a department's note that reaches us an hour late (Kafka was
     * down) still shows to a client that polls with start_date = its last poll, once, in the window after its
     * arrival. Default: the last 24 hours; one date alone: the 24 hours before the end, or after the start; at
     * most 24 hours apart. Without page or page_size, every update of the window; with them, one page of it
     * (page_size default {@value #DEFAULT_PAGE_SIZE}, at most {@value RequestFilters#MAX_PAGE_SIZE}): a step
     * recorded while a client walks the window sorts after those already recorded, so no page shifts and each
     * update is seen once. A request's creation is not an update; a department's internal notes and internal
     * requests are never shown.
     */
    Mono<ServerResponse> list(ServerRequest request) {
        Format format = Calls.format(request);
        Parameters parameters = calls.query(request);
        Instant now = clock.instant();
        Instant start = parameters.datetime("start_date");
        Instant end = parameters.datetime("end_date");
        Integer page = parameters.integer("page", 1, RequestFilters.MAX_PAGE);
        Integer pageSize = parameters.integer("page_size", 1, RequestFilters.MAX_PAGE_SIZE);
        if (start == null && end == null) {
            start = now.minus(MAX_WINDOW);
            end = now;
        }
        else if (start == null) {
            start = end.minus(MAX_WINDOW);
        }
        else if (end == null) {
            end = start.plus(MAX_WINDOW);
        }
        if (end.isBefore(start)) {
            throw Open311Exception.badRequest("end_date is before start_date");
        }
        if (Duration.between(start, end).compareTo(MAX_WINDOW) > 0) {
            throw Open311Exception.badRequest("start_date to end_date: at most 24 hours apart; ask for a longer "
                    + "time one day at a time");
        }
        Instant from = start;
        Instant until = RequestFilters.endOfSecond(end);
        // The requests with a step recorded in the window (steps from before recordedAt was kept: by their time).
        Query touched = RequestRecords.visible(Query.query(new Criteria().orOperator(
                        Criteria.where(RequestStore.HISTORY).elemMatch(Criteria.where("recordedAt").gte(from).lt(until)),
                        Criteria.where(RequestStore.HISTORY).elemMatch(Criteria.where("recordedAt").is(null)
                                .and("at").gte(from).lt(until)))
                .and("submittedAt").lt(until)));
        touched.fields().exclude("description", "attributes", "location", "mediaUrls");
        Optional<CatalogSnapshot> snapshot = catalog.find();
        Flux<Step> steps = mongo.find(touched, ServiceRequest.class)
                .flatMapIterable(found -> RequestRecords.timeline(found, snapshot).stream()
                        .filter(step -> recorded(step) != null && !recorded(step).isBefore(from)
                                && recorded(step).isBefore(until))
                        .filter(step -> step.change().eventId() != null)
                        .filter(step -> !"submitted".equals(step.change().kindOrStatus()) || step.fromClient())
                        .map(step -> new Step(found.id(), step))
                        .toList())
                .sort(ORDER);
        if (page != null || pageSize != null) {
            int size = pageSize == null ? DEFAULT_PAGE_SIZE : pageSize;
            steps = steps.skip((long) ((page == null ? 1 : page) - 1) * size).take(size);
        }
        return steps.map(UpdatesHandler::update)
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
     * update_id, so a retried POST finds it there and is answered with the same id (and publishes nothing again).
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
        if (!REQUEST_ID.matcher(requestId).matches()) {
            return Mono.error(notFound(requestId));
        }
        // Who filed it is read to check the client's right, never shown.
        Query byId = RequestRecords.published(Query.query(Criteria.where("_id").is(requestId)));
        byId.fields().exclude("resident", "outbox");
        return Mono.defer(() -> mongo.findOne(byId, ServiceRequest.class))
                .switchIfEmpty(Mono.error(() -> notFound(requestId)))
                .flatMap(stored -> append(stored, client, updateId, eventId,
                        status.strip().toUpperCase(Locale.ROOT), description.strip()))
                // another change came in between reading and writing: read again
                .retryWhen(Retry.backoff(MAX_RETRIES, Duration.ofMillis(5)).maxBackoff(Duration.ofMillis(200))
                        .filter(Raced.class::isInstance)
                        .onRetryExhaustedThrow((spec, signal) -> busy()))
                .thenReturn(eventId);
    }

    /**
     * Appends the client's note unless it is there already (a retried POST), after checking that the client may
     * post to this request and has not reached the limits, with its {@link ClientUpdated} event in the document's
     * outbox. The write is conditional on the timeline's length being the one checked: a timeline only grows, so two
     * posts racing cannot both pass a limit.
     */
    private Mono<Void> append(ServiceRequest stored, Open311Client client, String updateId, String eventId,
            String status, String description) {
        List<StatusChange> history = stored.history() == null ? List.of() : stored.history();
        if (history.stream().anyMatch(change -> eventId.equals(change.eventId()))) {
            return Mono.empty();
        }
        if (!client.trusted() && !client.actor().equals(stored.filedBy())) {
            return Mono.error(Open311Exception.forbidden("service_request_id: " + stored.id() + " was not filed "
                    + "with this api_key's application; it may post updates only to its own requests"));
        }
        long fromClients = history.stream().filter(RequestRecords::fromClient).count();
        if (fromClients >= MAX_CLIENT_UPDATES) {
            return Mono.error(Open311Exception.forbidden("service_request_id: " + stored.id() + " has "
                    + MAX_CLIENT_UPDATES + " updates from client applications, the most it takes"));
        }
        String own = RequestRecords.CLIENT_UPDATE + client.name() + ":";
        long fromThisClient = history.stream()
                .filter(change -> change.eventId() != null && change.eventId().startsWith(own)).count();
        if (fromThisClient >= MAX_UPDATES_PER_CLIENT) {
            return Mono.error(Open311Exception.forbidden("update_id: this application has posted "
                    + MAX_UPDATES_PER_CLIENT + " updates to " + stored.id() + ", the most it may"));
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        // A public note of kind "updated", like a department's own; the status stays the request's.
        StatusChange note = new StatusChange(stored.status(), now, stored.department(),
                "Update from " + client.name() + ": " + description, eventId, now, "public", "updated",
                client.actor(), "/city311/request-service");
        CloudEvent event = cloudEvents.create(ClientUpdated.TYPE, stored.id(), new ClientUpdated(stored.id(),
                updateId, client.name(), client.trusted(), status, description, now), client.actor());
        return requests.addNote(stored.id(), stored.history() == null ? null : history.size(), note,
                        PendingEvent.of(Topics.REQUESTS, event, cloudEvents), now)
                .flatMap(added -> added ? Mono.<Void>empty() : Mono.error(new Raced()));
    }

    private static Open311Exception notFound(String requestId) {
        return Open311Exception.notFound("service_request_id: no request '" + Parameters.abbreviate(requestId) + "'");
    }

    private static Open311Exception busy() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "1");
        return new Open311Exception(HttpStatus.SERVICE_UNAVAILABLE, List.of("service_request_id: the request is "
                + "being changed by others right now; post the update again"), headers);
    }

    /** The timeline changed between reading and writing. */
    private static final class Raced extends RuntimeException {

        Raced() {
            super("raced", null, false, false);
        }
    }

    private static String required(Parameters form, String name, List<String> problems) {
        String value = form.text(name);
        if (value == null) {
            problems.add(name + ": required");
        }
        return value;
    }
}
