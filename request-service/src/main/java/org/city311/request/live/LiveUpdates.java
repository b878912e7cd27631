package org.city311.request.live;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.city311.platform.security.Caller;
import org.city311.request.RequestStatus;
import org.city311.request.RequestStore;
import org.city311.request.ServiceRequest;
import org.city311.request.ServiceRequest.StatusChange;
import org.city311.request.access.RequestAccess;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;

/**
 * Changes to requests as Server-Sent Events, read from the requests' own timelines: any instance of
 * request-service can serve any client, and a reconnecting client resumes from its {@code Last-Event-ID}.
 * <p>
 * Changes are delivered in the order they were recorded. A change is delivered only once it has settled (a
 * moment after it was recorded), so that one written a little late by another instance is never skipped.
 * Each is checked against what the listener may read on the very document it is read from: no extra round trip.
 * <p>
 * One poll per instance serves every open stream: it reads the requests changed since the position of the stream
 * furthest behind, and each stream picks its own out of them. A thousand staff with the page open cost two reads a
 * second, not two thousand; with no stream open there is no poll at all.
 * <p>
 * Which requests changed is told by {@link ChangeSignals} (every instance records the ids its writes changed, per
 * second): a poll reads the seconds since that position by {@code _id}, then those requests by {@code _id}; with
 * nothing written, it reads one small document list and no request, however many are stored. Only a stream further
 * behind than the signals reach ({@link #SIGNALLED_AT_MOST}: one resuming from an older id), a write that named no
 * request, or the first seconds after the first stream opens while no instance had one (writers record only while
 * someone listens, {@link ChangeSignals#listening()}) have a poll search the requests by time
 * ({@code history.recordedAt}, indexed on MongoDB).
 */
@Component
class LiveUpdates {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LiveUpdates.class);
    static final Duration POLL = Duration.ofMillis(500);
    static final Duration SETTLE = Duration.ofSeconds(1);
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    /** The most recently changed requests a snapshot shows; older ones are a search away. */
    static final int SNAPSHOT_LIMIT = 200;
    /** How far back a poll reads the signals; from further back it searches the requests by time. */
    static final Duration SIGNALLED_AT_MOST = Duration.ofMinutes(2);
    /** Seconds read either side of the span, for a writer whose clock is a little off. */
    private static final long SIGNAL_MARGIN_SECONDS = 2;
    /** How far back a {@code Last-Event-ID} resumes; an older one gets a fresh snapshot instead. */
    static final Duration RESUME_WINDOW = Duration.ofHours(24);
    private static final String TOKEN_EXPIRED = "your token expired; reconnect with a fresh one";

    private final ReactiveMongoTemplate mongo;
    private final OpenStreams streams;
    private final ChangeSignals signals;
    private final Clock clock;
    /** The streams taking changes from the shared poll, each with the position it has read up to. */
    private final Set<AtomicReference<Position>> following = ConcurrentHashMap.newKeySet();
    /** The shared poll: runs while at least one stream follows it. */
    private final Flux<Polled> polls;

    LiveUpdates(ReactiveMongoTemplate mongo, OpenStreams streams, ChangeSignals signals, Clock clock) {
        this.mongo = mongo;
        this.streams = streams;
        this.signals = signals;
        this.clock = clock;
        this.polls = Flux.interval(POLL).onBackpressureDrop().concatMap(tick -> poll(), 1).share();
    }

    /**
     * What one shared poll read: every request with a change recorded at or after {@code from}, and the moment up
     * to which changes have settled. A stream that had read less than {@code from} skips it and takes the next.
     */
    record Polled(Instant from, Instant settled, List<ServiceRequest> requests) {
    }

    /** What a client receives for one change. */
    record Change(String requestId, String type, RequestStatus status, String department, String note,
            String visibility, Instant at) {
    }

    /** Who is listening: each change is checked against what they may read, until their token expires. */
    record Listener(Caller caller, Instant tokenExpiresAt) {

        boolean expiredAt(Instant now) {
            return tokenExpiresAt != null && !now.isBefore(tokenExpiresAt);
        }

        boolean mayRead(ServiceRequest request) {
            return RequestAccess.mayRead(caller, request);
        }
    }

    /**
     * The requests the listener filed, or added a caller to ("this is the same"): those they may no longer read
     * (none today) are left out.
     */
    Flux<ServerSentEvent<Change>> filedBy(Listener listener, String lastEventId) {
        String id = listener.caller().id();
        return stream(new Criteria().orOperator(Criteria.where("filedBy").is(id),
                Criteria.where("additionalReporters.addedBy").is(id)),
                request -> id.equals(request.filedBy()) || request.additionalReporters() != null
                        && request.additionalReporters().stream().anyMatch(reporter -> id.equals(reporter.addedBy())),
                lastEventId, listener, false);
    }

    /** One request: the stream ends once the listener may no longer read it (transferred to another department). */
    Flux<ServerSentEvent<Change>> request(String id, Listener listener, String lastEventId) {
        return stream(Criteria.where("_id").is(id), request -> id.equals(request.id()), lastEventId, listener, true);
    }

    /**
     * A stream of the requests that {@code filter} selects: a {@code snapshot} of each first (or, when resuming
     * from an id of the last {@link #RESUME_WINDOW}, the changes missed since), then each change as it is recorded,
     * each only while the listener may read its request. It ends when the listener's token expires, when a newer
     * stream of theirs displaces it ({@link OpenStreams}), and, following one request, when they lose the right to
     * read it; a comment says why.
     */
    private Flux<ServerSentEvent<Change>> stream(Criteria filter, Predicate<ServiceRequest> selects,
            String lastEventId, Listener listener, boolean oneRequest) {
        return Flux.defer(() -> {
            OpenStreams.Handle handle = streams.open(listener.caller().id());
            if (listener.expiredAt(clock.instant())) {
                handle.end(TOKEN_EXPIRED);
            }
            Position resumeFrom = resumable(Position.parse(lastEventId));
            AtomicReference<Position> read = new AtomicReference<>(resumeFrom);
            Flux<ServerSentEvent<Change>> opening = resumeFrom != null ? Flux.empty()
                    : snapshot(filter, listener, read);
            Flux<ServerSentEvent<Change>> changes = polls
                    .doOnSubscribe(subscription -> following.add(read))
                    .doFinally(signal -> following.remove(read))
                    .concatMap(polled -> changesAfter(polled, selects, read, listener, oneRequest, handle), 1);
            Flux<ServerSentEvent<Change>> keepAlive = Flux.interval(KEEP_ALIVE)
                    .map(tick -> ServerSentEvent.<Change>builder().comment("keep-alive").build());
            return opening.concatWith(Flux.merge(changes, keepAlive))
                    .takeUntilOther(handle.ended())
                    .concatWith(handle.ended().map(reason -> ServerSentEvent.<Change>builder()
                            .comment("closed: " + reason).build()))
                    .doFinally(signal -> handle.close());
        });
    }

    /** Where to resume from: nowhere (a fresh snapshot) for an absent, foreign or too old id. */
    private Position resumable(Position position) {
        if (position == null || position.recordedAt().isBefore(clock.instant().minus(RESUME_WINDOW))) {
            return null;
        }
        return position;
    }

    /**
     * The current state of each request, all sharing one id: the position after every change they already show,
     * from which live changes (or a later resume) continue.
     */
    private Flux<ServerSentEvent<Change>> snapshot(Criteria filter, Listener listener,
            AtomicReference<Position> read) {
        Query newestFirst = Query.query(filter).with(Sort.by(Sort.Order.desc("updatedAt"))).limit(SNAPSHOT_LIMIT);
        return mongo.find(newestFirst, ServiceRequest.class).collectList().flatMapMany(requests -> {
            Instant shown = requests.stream().flatMap(request -> request.history().stream())
                    .map(StatusChange::recordedAt).filter(java.util.Objects::nonNull)
                    .max(Comparator.naturalOrder()).orElse(Instant.EPOCH);
            Instant after = shown.isAfter(settledUntil()) ? shown : settledUntil();
            Position position = new Position(after, "\uffff", Integer.MAX_VALUE);
            read.set(position);
            return Flux.fromIterable(requests).filter(listener::mayRead).map(request -> snapshot(request, position));
        });
    }

    /**
     * One shared poll: the requests with a change at or after the position of the stream furthest behind. No stream
     * has read anything yet (all still taking their snapshot): no read.
     */
    private Flux<Polled> poll() {
        Instant settled = settledUntil();
        Instant from = following.stream().map(AtomicReference::get).filter(Objects::nonNull)
                .map(Position::recordedAt).min(Comparator.naturalOrder()).orElse(null);
        if (from == null) {
            return Flux.empty();
        }
        return changedSince(from).map(requests -> new Polled(from, settled, requests)).flux()
                .onErrorResume(error -> {
                    // One stream's failure would otherwise end every stream: skip this tick, the next reads again.
                    log.warn("Live updates could not read the store: {}", error.toString());
                    return Flux.empty();
                });
    }

    /**
     * The requests with a change recorded at or after {@code from}, or more: those the signals name (by id), or, from
     * further back than they reach or when a write named none, those the requests' timelines show (by time).
     */
    private Mono<List<ServiceRequest>> changedSince(Instant from) {
        return signals.listening().flatMap(complete -> {
            Instant now = clock.instant();
            if (from.isBefore(complete) || from.isBefore(now.minus(SIGNALLED_AT_MOST))) {
                return byTime(from);
            }
            return signals.changed(from.getEpochSecond() - SIGNAL_MARGIN_SECONDS,
                    now.getEpochSecond() + SIGNAL_MARGIN_SECONDS).flatMap(ids -> {
                        if (ids.contains(ChangeSignals.ANY)) {
                            return byTime(from);
                        }
                        return ids.isEmpty() ? Mono.just(List.<ServiceRequest>of())
                                : mongo.find(Query.query(Criteria.where("_id").in(ids)), ServiceRequest.class)
                                        .collectList();
                    });
        });
    }

    private Mono<List<ServiceRequest>> byTime(Instant from) {
        return mongo.find(Query.query(Criteria.where(RequestStore.HISTORY_RECORDED_AT).gte(from)), ServiceRequest.class)
                .collectList();
    }

    /**
     * The settled changes after the position read so far, of the requests the listener may still read, checked on
     * the document the changes come from; the position moves past the others too, so that they never show, and
     * on to the settled moment, so that the next poll need not reach further back than that.
     */
    private Flux<ServerSentEvent<Change>> changesAfter(Polled polled, Predicate<ServiceRequest> selects,
            AtomicReference<Position> read, Listener listener, boolean oneRequest, OpenStreams.Handle handle) {
        if (listener.expiredAt(clock.instant())) {
            handle.end(TOKEN_EXPIRED);
            return Flux.empty();
        }
        Position after = read.get();
        if (after == null || after.recordedAt().isBefore(polled.from())) {
            return Flux.empty(); // read before this stream was counted in: the next poll reaches back for it
        }
        Instant settled = polled.settled();
        List<Positioned> pending = new ArrayList<>();
        Position furthest = after;
        for (ServiceRequest request : polled.requests()) {
            if (!selects.test(request)) {
                continue;
            }
            boolean readable = listener.mayRead(request);
            if (!readable && oneRequest) {
                handle.end("you may no longer read " + request.id());
                return Flux.empty();
            }
            List<StatusChange> history = request.history();
            for (int index = 0; index < history.size(); index++) {
                StatusChange change = history.get(index);
                if (change.recordedAt() == null || change.recordedAt().isAfter(settled)) {
                    continue;
                }
                Position position = new Position(change.recordedAt(), request.id(), index);
                if (position.compareTo(after) > 0) {
                    furthest = position.compareTo(furthest) > 0 ? position : furthest;
                    if (readable) {
                        pending.add(new Positioned(position, request.id(), change));
                    }
                }
            }
        }
        // Everything recorded up to the settled moment was in this read: nothing earlier can still arrive.
        Position horizon = new Position(settled, "", -1);
        read.set(horizon.compareTo(furthest) > 0 ? horizon : furthest);
        pending.sort(Comparator.comparing(Positioned::position));
        return Flux.fromIterable(pending).map(Positioned::event);
    }

    private Instant settledUntil() {
        return clock.instant().minus(SETTLE);
    }

    private static ServerSentEvent<Change> snapshot(ServiceRequest request, Position position) {
        Instant at = request.updatedAt() != null ? request.updatedAt() : request.submittedAt();
        return ServerSentEvent.builder(new Change(request.id(), "snapshot", request.status(), request.department(),
                null, null, at)).id(position.encode()).event("snapshot").build();
    }

    private record Positioned(Position position, String requestId, StatusChange change) {

        ServerSentEvent<Change> event() {
            String type = change.kindOrStatus();
            return ServerSentEvent.builder(new Change(requestId, type, change.status(), change.department(),
                            change.note(), change.internal() ? "internal" : "public", change.at()))
                    .id(position.encode())
                    .event(type)
                    .build();
        }
    }

    /** Where a client is in the order of recorded changes: time recorded, then request id, then timeline index. */
    record Position(Instant recordedAt, String requestId, int index) implements Comparable<Position> {

        private static final Comparator<Position> ORDER = Comparator.comparing(Position::recordedAt)
                .thenComparing(Position::requestId).thenComparingInt(Position::index);

        String encode() {
            return recordedAt.toEpochMilli() + "~" + requestId + "~" + index;
        }

        /** Null for an absent or foreign id: the client then gets a fresh snapshot. */
        static Position parse(String id) {
            if (id == null || id.isBlank()) {
                return null;
            }
            String[] parts = id.split("~", 3);
            try {
                return new Position(Instant.ofEpochMilli(Long.parseLong(parts[0])), parts[1],
                        Integer.parseInt(parts[2]));
            }
            catch (RuntimeException ex) {
                return null;
            }
        }

        @Override
        public int compareTo(Position other) {
            return ORDER.compare(this, other);
        }
    }
}
