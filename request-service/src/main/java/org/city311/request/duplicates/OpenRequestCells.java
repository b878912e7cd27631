package org.city311.request.duplicates;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.city311.request.RequestStatus;
import org.city311.request.ServiceRequest;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.ReactiveBulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * The open, unlinked requests with coordinates, by service and grid cell ({@link CellGrid}): what
 * {@link PossibleDuplicates} reads by {@code _id} instead of scanning {@code requests} (the local store serves only
 * queries on a unique key; real MongoDB would use the requests' indexes, but the cells cost it little too). One
 * document per cell, {@code _id} {@code <serviceCode>|<row>|<column>}, holding its requests in {@code open}, keyed
 * by request id: {@code {lat, lon, submittedAt, seq}}, {@code seq} being the request's {@code statusSequence} when
 * the entry was written.
 * <p>
 * The cells may hold more than the open requests (an entry written late, after its request closed), never less:
 * readers check what they find against the requests themselves. So an entry is written when a request is filed or
 * comes back (reopened), and removed when it leaves the open statuses or is linked as a duplicate; a removal is
 * guarded on the entry being older than the change ({@code seq}), so a late or repeated one cannot remove a newer
 * entry, and an addition is guarded likewise.
 * <p>
 * The entries of new filings are gathered: those that arrive within {@code city311.duplicates.gather} (30 ms) of the
 * first go in one bulk write, one upsert per cell, and each filing is answered once the write that holds its entry is
 * acknowledged (so a request answered 201 is offered to the next call-taker at once, as before).
 */
@Component
public class OpenRequestCells implements DisposableBean {

    public static final String COLLECTION = "open_request_cells";
    /** Statuses in which a request is offered as a possible duplicate. */
    public static final Set<RequestStatus> OPEN = EnumSet.of(RequestStatus.SUBMITTED, RequestStatus.ROUTED,
            RequestStatus.IN_PROGRESS, RequestStatus.ON_HOLD, RequestStatus.REOPENED);

    private static final Logger log = LoggerFactory.getLogger(OpenRequestCells.class);

    private static final Duration PLACEMENT_TIMEOUT = Duration.ofSeconds(10);
    /** Filings' entries written by one gathered write at most. */
    static final int MAX_GATHERED = 200;

    private final ReactiveMongoTemplate mongo;
    /**
     * New filings' entries, waiting for the write that gathers them: a sink that takes them from any number of
     * threads at once, queued, without a caller ever spinning (as a {@code Sinks.Many} would on a Netty thread).
     */
    private FluxSink<Placement> placements;

    @Autowired
    OpenRequestCells(ReactiveMongoTemplate mongo, PossibleDuplicates.Properties properties) {
        this(mongo, properties.gather());
    }

    public OpenRequestCells(ReactiveMongoTemplate mongo) {
        this(mongo, Duration.ZERO);
    }

    OpenRequestCells(ReactiveMongoTemplate mongo, Duration gather) {
        this.mongo = mongo;
        // (fair backpressure: while a write is under way, the next filings gather for the one after it)
        Flux<Placement> filings = Flux.create(sink -> placements = sink, FluxSink.OverflowStrategy.BUFFER);
        Flux<List<Placement>> gathered = gather.isZero() ? filings.map(List::of)
                : filings.bufferTimeout(MAX_GATHERED, gather, true);
        gathered.concatMap(this::place).subscribe();
    }

    /** A filing's entry, and the signal its filing waits for. */
    private record Placement(Change change, Sinks.Empty<Void> written) {
    }

    /**
     * Where a request stands after a change, as far as the cells care.
     *
     * @param sequence its {@code statusSequence} after the change
     * @param open whether it is open and not a linked duplicate now
     * @param linked whether it is a linked duplicate (which never comes back: removed whatever its sequence)
     */
    public record Change(String requestId, String serviceCode, Double latitude, Double longitude, Instant submittedAt,
            long sequence, boolean open, boolean linked) {

        /** A request as stored (or as it is about to be). */
        public static Change of(ServiceRequest request) {
            ServiceRequest.Location location = request.location();
            return new Change(request.id(), request.serviceCode(), location == null ? null : location.latitude(),
                    location == null ? null : location.longitude(), request.submittedAt(), request.statusSequence(),
                    OpenRequestCells.open(request.status(), request.duplicateOf()), request.duplicateOf() != null);
        }

        /** Whether the request has a place in the cells at all. */
        boolean placed() {
            return serviceCode != null && latitude != null && longitude != null;
        }

        String cell() {
            return CellGrid.cell(serviceCode, latitude, longitude);
        }
    }

    /** Whether a request in that status, linked to that parent (or none), is offered as a possible duplicate. */
    public static boolean open(RequestStatus status, String duplicateOf) {
        return status != null && OPEN.contains(status) && duplicateOf == null;
    }

    /** A bulk write of the cells, for {@link #add}. */
    public ReactiveBulkOperations bulk() {
        return mongo.bulkOps(BulkOperations.BulkMode.ORDERED, COLLECTION);
    }

    /**
     * Adds the updates that bring the request's entry in line with the change, guarded by its sequence.
     *
     * @return how many updates were added (none for a request without coordinates)
     */
    public int add(ReactiveBulkOperations operations, Change change) {
        if (!change.placed()) {
            return 0;
        }
        String entry = "open." + change.requestId();
        Query cell = Query.query(Criteria.where("_id").is(change.cell()));
        if (change.open()) {
            // the cell first (it may never have held a request), then the entry unless a newer one is there
            operations.upsert(cell, new Update().set("serviceCode", change.serviceCode()));
            operations.updateOne(Query.query(Criteria.where("_id").is(change.cell()).orOperator(
                    Criteria.where(entry + ".seq").isNull(), Criteria.where(entry + ".seq").lt(change.sequence()))),
                    new Update().set(entry, entry(change)));
            return 2;
        }
        Criteria older = Criteria.where("_id").is(change.cell());
        if (!change.linked()) {
            older = older.orOperator(Criteria.where(entry + ".seq").isNull(),
                    Criteria.where(entry + ".seq").lt(change.sequence()));
        }
        operations.updateOne(Query.query(older), new Update().unset(entry));
        return 1;
    }

    /**
     * A request just filed: its entry, with those of the filings gathered with it (nothing older can be there).
     * Completes once written; a failure is logged, not passed on: the request is filed, and is only not offered as
     * a duplicate.
     */
    public Mono<Void> filed(ServiceRequest request) {
        return filed(Change.of(request));
    }

    Mono<Void> filed(Change change) {
        if (!change.placed() || !change.open()) {
            return Mono.empty();
        }
        Sinks.Empty<Void> written = Sinks.empty();
        placements.next(new Placement(change, written));
        // a filing never waits longer than this for its place, whatever becomes of the writes
        return written.asMono().timeout(PLACEMENT_TIMEOUT, Mono.fromRunnable(() -> log.warn(
                "Request {} was not placed in its cell within {} s; it is filed, but not offered as a possible "
                        + "duplicate", change.requestId(), PLACEMENT_TIMEOUT.toSeconds())));
    }

    /** One upsert per cell for the gathered filings' entries, in one bulk write. */
    private Mono<Void> place(List<Placement> gathered) {
        Map<String, Update> byCell = new LinkedHashMap<>();
        for (Placement placement : gathered) {
            Change change = placement.change();
            byCell.computeIfAbsent(change.cell(), cell -> new Update().set("serviceCode", change.serviceCode()))
                    .set("open." + change.requestId(), entry(change));
        }
        ReactiveBulkOperations operations = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, COLLECTION);
        byCell.forEach((cell, update) -> operations.upsert(Query.query(Criteria.where("_id").is(cell)), update));
        return operations.execute()
                .then()
                .onErrorResume(failure -> {
                    // the requests are filed: they are only not offered as duplicates until the cells are rebuilt
                    log.warn("Could not add {} filed requests to their cells ({})", gathered.size(),
                            failure.toString());
                    return Mono.empty();
                })
                .doFinally(signal -> gathered.forEach(placement -> placement.written().tryEmitEmpty()));
    }

    /** At shutdown: the entries still gathered are written (the web server has stopped taking filings). */
    @Override
    public void destroy() {
        placements.complete();
    }

    /** A request just linked as a duplicate: out of its cell, in one update. */
    public Mono<Void> linked(ServiceRequest request) {
        Change change = Change.of(request);
        if (!change.placed()) {
            return Mono.empty();
        }
        return mongo.updateFirst(Query.query(Criteria.where("_id").is(change.cell())),
                        new Update().unset("open." + change.requestId()), COLLECTION)
                .onErrorResume(failure -> {
                    // harmless: readers check the requests themselves
                    log.warn("Could not take request {} out of its cell ({})", request.id(), failure.toString());
                    return Mono.empty();
                })
                .then();
    }

    /** The cells of these ids that exist, in one query on {@code _id}. */
    Flux<Document> read(Collection<String> cellIds) {
        return mongo.find(Query.query(Criteria.where("_id").in(cellIds)), Document.class, COLLECTION);
    }

    static Document entry(Change change) {
        return new Document("lat", change.latitude()).append("lon", change.longitude())
                .append("submittedAt", change.submittedAt() == null ? null : Date.from(change.submittedAt()))
                .append("seq", change.sequence());
    }
}
