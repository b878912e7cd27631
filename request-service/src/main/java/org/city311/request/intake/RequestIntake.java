package org.city311.request.intake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import reactor.core.publisher.Mono;

import org.city311.contracts.Topics;
import org.city311.platform.events.CloudEvent;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.outbox.PendingEvent;
import org.city311.platform.web.Problems;
import org.city311.request.CallerKeys;
import org.city311.request.RequestStatus;
import org.city311.request.RequestStore;
import org.city311.request.ServiceRequest;
import org.city311.request.ServiceRequest.Location;
import org.city311.request.ServiceRequest.Resident;
import org.city311.request.ServiceRequest.Segment;
import org.city311.request.ServiceRequest.StatusChange;
import org.city311.request.catalog.ServiceCatalogCopy;
import org.city311.request.duplicates.PossibleDuplicates;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Service;

/**
 * Accepts a request, from staff or from an Open311 client. The stored document and its request-created event are
 * written in one insert, so a request answered with 201 always reaches Kafka, even if the broker is down then.
 * <p>
 * Everything is checked before anything is written: the service against the catalog copy, its attributes against
 * the service's definition, the location against the city's bounds, and free text against {@link TextRules}.
 */
@Service
public class RequestIntake {

    private final ReactiveMongoTemplate mongo;
    private final RequestIds ids;
    private final ServiceCatalogCopy catalog;
    private final CloudEvents cloudEvents;
    private final RequestStore requests;
    private final IdempotencyKeys idempotencyKeys;
    private final Clock clock;
    private final IntakeCapacity capacity;

    RequestIntake(ReactiveMongoTemplate mongo, RequestIds ids, ServiceCatalogCopy catalog, CloudEvents cloudEvents,
            RequestStore requests, IdempotencyKeys idempotencyKeys, Clock clock, IntakeCapacity capacity) {
        this.capacity = capacity;
        this.mongo = mongo;
        this.ids = ids;
        this.catalog = catalog;
        this.cloudEvents = cloudEvents;
        this.requests = requests;
        this.idempotencyKeys = idempotencyKeys;
        this.clock = clock;
    }

    /** A request as filed, and whether this answer repeats an earlier one (same idempotency key). */
    public record Filed(ServiceRequest request, boolean repeated) {
    }

    /**
     * Files a request. With an idempotency key, a retry of the same request returns the request the first attempt
     * created, and creates nothing new; the same key with a different request is refused.
     */
    public Mono<Filed> file(NewRequest body, String idempotencyKey) {
        return file(body, idempotencyKey, null);
    }

    /**
     * @param team the filing staff member's team (from their token), which the request-created event carries so that
     *        transfers for a wrong service chosen at intake are counted per team; null for none
     */
    public Mono<Filed> file(NewRequest body, String idempotencyKey, String team) {
        // Checked before it takes a place: bad input is refused as such even under load.
        IntakeRules.Checked checked = check(body, team);
        return capacity.admit(() -> store(checked, body, idempotencyKey));
    }

    private Mono<Filed> store(IntakeRules.Checked checked, NewRequest body, String idempotencyKey) {
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            return ids.next().flatMap(id -> insert(id, checked)).map(stored -> new Filed(stored, false));
        }
        String scopedKey = (body.filedBy() == null ? "-" : body.filedBy()) + ":" + idempotencyKey.strip();
        String fingerprint = fingerprint(checked);
        return ids.next()
                .flatMap(id -> idempotencyKeys.claim(new IdempotencyKey(scopedKey, id, fingerprint, clock.instant()))
                        .then(insertOrFind(id, checked)))
                .onErrorResume(DuplicateKeyException.class, seenBefore -> idempotencyKeys.find(scopedKey)
                        .flatMap(first -> {
                            if (!first.fingerprint().equals(fingerprint)) {
                                return Mono.error(Problems.invalid("Idempotency-Key",
                                        "this key was already used for a different request"));
                            }
                            // The first attempt may have stopped between the key and the request: finish it.
                            return insertOrFind(first.requestId(), checked);
                        }))
                .map(stored -> new Filed(stored, !stored.submittedAt().equals(checked.now())));
    }

    private Mono<ServiceRequest> insertOrFind(String id, IntakeRules.Checked checked) {
        return insert(id, checked).onErrorResume(DuplicateKeyException.class,
                alreadyThere -> mongo.findById(id, ServiceRequest.class));
    }

    private Mono<ServiceRequest> insert(String id, IntakeRules.Checked checked) {
        NewRequest body = checked.body();
        Segment segment = checked.segment();
        RequestCreated created = new RequestCreated(id, body.serviceCode(), body.description(),
                body.channel().wireName(), segment.name().toLowerCase(Locale.ROOT), eventLocation(checked.location()),
                checked.attributes(), body.requestingDepartment(), checked.now(), checked.team());
        CloudEvent event = cloudEvents.create(RequestCreated.TYPE, id, created, body.filedBy());
        String token = checked.service().batch() ? UUID.randomUUID().toString() : null;
        ServiceRequest request = new ServiceRequest(id, body.serviceCode(), body.description(), body.channel(),
                segment, checked.location(), resident(body.resident()), checked.attributes(), body.filedBy(),
                body.requestingDepartment(), null, token, RequestStatus.SUBMITTED, null, 0,
                List.of(StatusChange.madeHere(RequestStatus.SUBMITTED, checked.now(), null, null, event.id(),
                        body.filedBy())),
                checked.now(), checked.now(), List.of(PendingEvent.of(Topics.REQUESTS, event, cloudEvents)),
                body.mediaUrls() == null || body.mediaUrls().isEmpty() ? null : List.copyOf(body.mediaUrls()),
                null, null, null, CallerKeys.of(resident(body.resident())), null,
                PossibleDuplicates.cell(body.serviceCode(), checked.location()));
        return requests.insert(request);
    }

    /**
     * The intake rules' decision (pure: {@link IntakeRules}), with the time of filing; a refusal as the problem+json
     * that names every field at fault.
     */
    private IntakeRules.Checked check(NewRequest body, String team) {
        IntakeRules.Decision decision = IntakeRules.check(body, catalog.current(), team,
                clock.instant().truncatedTo(ChronoUnit.MILLIS));
        if (!decision.accepted()) {
            throw Problems.invalid(decision.problems());
        }
        return decision.checked();
    }

    private static RequestCreated.Location eventLocation(Location location) {
        return location == null ? null
                : new RequestCreated.Location(location.address(), location.latitude(), location.longitude());
    }

    private static Resident resident(NewRequest.NewResident given) {
        if (given == null) {
            return null;
        }
        return new Resident(given.firstName(), given.lastName(), given.phone(), given.email(),
                Boolean.TRUE.equals(given.consentToContact()));
    }

    /** What makes two attempts the same request: everything but the moment they arrived. */
    private static String fingerprint(IntakeRules.Checked checked) {
        String content = checked.body().toString();
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(content.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
