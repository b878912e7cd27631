package org.city311.request.duplicates;

import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.Set;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.city311.request.RequestStatus;
import org.city311.request.ServiceRequest;
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
 */
@Component
public class OpenRequestCells {

    public static final String COLLECTION = "open_request_cells";
    /** Statuses in which a request is offered as a possible duplicate. */
    public static final Set<RequestStatus> OPEN = EnumSet.of(RequestStatus.SUBMITTED, RequestStatus.ROUTED,
            RequestStatus.IN_PROGRESS, RequestStatus.ON_HOLD, RequestStatus.REOPENED);

    private static final Logger log = LoggerFactory.getLogger(OpenRequestCells.class);

    private final ReactiveMongoTemplate mongo;

    public OpenRequestCells(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
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

    /** A request just filed: its entry, in one upsert (nothing older can be there). */
    public Mono<Void> filed(ServiceRequest request) {
        Change change = Change.of(request);
        if (!change.placed() || !change.open()) {
            return Mono.empty();
        }
        return mongo.upsert(Query.query(Criteria.where("_id").is(change.cell())),
                        new Update().set("serviceCode", change.serviceCode())
                                .set("open." + change.requestId(), entry(change)), COLLECTION)
                .onErrorResume(failure -> {
                    // the request is filed: it is only not offered as a duplicate until the cells are rebuilt
                    log.warn("Could not add request {} to its cell ({})", request.id(), failure.toString());
                    return Mono.empty();
                })
                .then();
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
