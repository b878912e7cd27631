package org.city311.routing.work;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.mongodb.MongoBulkWriteException;
import jakarta.annotation.PreDestroy;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.city311.routing.catalog.Catalog;
import org.city311.routing.catalog.ServiceCatalog;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.ReactiveBulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Counts the agents' {@link AgentLoads} again from {@code work}, and puts them right where they drifted.
 * <p>
 * <b>When.</b> At start, before the consumers route anything, when the loads were never counted in this store (no
 * lease document: a store written before loads were kept, or a new one) or the last count is older than
 * {@link LoadsProperties#recountEvery()}; then every {@code recountEvery} (10 minutes), and at the next check
 * ({@link LoadsProperties#checkEvery()}, a minute) after {@link AgentLoads#doubt} or a count left unfinished, unless
 * a count started less than {@value #SOON_MINUTES} minute before. One instance counts: the count is claimed first by
 * a guarded upsert of a lease in {@value AgentAssignment#COUNTERS} ({@code _id} {@value #LEASE}, {@code startedAt});
 * an instance that finds it claimed less than that long ago leaves it. Between counts an instance sends the store
 * nothing for this. A department written during every count (a storm) is counted again each minute until one finds
 * it still: one read of the index a minute, instead of one count per poll before loads were kept.
 * <p>
 * <b>How.</b> Five commands: the lease's claim; the catalog's departments' counter documents by {@code _id} (their
 * {@code changes}); one query of the department and agent of the open work agents hold in those departments,
 * answered from the queue index's keys ({@code {department, status, agent, ...}}: no work item is read) and counted
 * here; one bulk write that sets each department's {@code load} to what was counted, guarded on its
 * {@code changes} being what it was before the count; the lease's {@code countedAt}. Every write of a department's
 * work raises {@code changes} in the same bulk write as it moves loads, so a department whose work changed while it
 * was counted keeps its loads as they are and is counted again at the next check; the others are set. What remains:
 * a write whose statements straddle the whole count (its item written before the aggregation read it, its counter
 * raised only after the guarded set), or a taking back ({@link AgentLoads#undo}) of a write made before the count
 * that arrives only after it: each needs one write to stall for as long as a count takes, and the next count puts it
 * right.
 */
@Component
class LoadRecount {

    /** The lease's {@code _id} in {@value AgentAssignment#COUNTERS}: no department's code has a colon. */
    static final String LEASE = "loads:recount";
    static final int SOON_MINUTES = 1;
    private static final Duration SOON = Duration.ofMinutes(SOON_MINUTES);
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final Logger log = LoggerFactory.getLogger(LoadRecount.class);

    private final ReactiveMongoTemplate mongo;
    private final ServiceCatalog catalog;
    private final AgentLoads loads;
    private final Clock clock;
    private final Duration every;
    /** When this instance last tried to count (System.nanoTime), and whether that count left departments out. */
    private final AtomicLong lastTry = new AtomicLong(System.nanoTime());
    private volatile boolean unfinished;
    private final Disposable ticks;

    LoadRecount(ReactiveMongoTemplate mongo, ServiceCatalog catalog, AgentLoads loads, Clock clock,
            LoadsProperties properties) {
        this.mongo = mongo;
        this.catalog = catalog;
        this.loads = loads;
        this.clock = clock;
        this.every = properties.recountEvery();
        try {
            recountIfDue(every).block(TIMEOUT);
        }
        catch (RuntimeException failed) {
            unfinished = true;
            log.warn("Could not count the agents' loads at start ({}); trying again within a minute",
                    failed.toString());
        }
        this.ticks = Flux.interval(properties.checkEvery(), properties.checkEvery()).onBackpressureDrop()
                .concatMap(tick -> check().onErrorResume(failed -> {
                    unfinished = true;
                    log.warn("Could not count the agents' loads ({}); trying again within a minute",
                            failed.toString());
                    return Mono.empty();
                }), 1)
                .subscribe();
    }

    @PreDestroy
    void stop() {
        ticks.dispose();
    }

    /** A tick: counts if loads are in doubt or unfinished (soon), or every {@code recountEvery}; else nothing. */
    Mono<Boolean> check() {
        boolean doubt = loads.takeDoubt() || unfinished;
        if (doubt) {
            return recountIfDue(SOON);
        }
        if (System.nanoTime() - lastTry.get() >= every.toNanos()) {
            return recountIfDue(every);
        }
        return Mono.just(false);
    }

    /**
     * Counts the loads unless another count started less than {@code since} ago (by any instance): true if it
     * counted every department. One guarded upsert of the lease, then {@link #recount()} if claimed.
     */
    Mono<Boolean> recountIfDue(Duration since) {
        lastTry.set(System.nanoTime());
        Instant now = clock.instant();
        return mongo.upsert(Query.query(Criteria.where("_id").is(LEASE).and("startedAt").lte(now.minus(since))),
                        new Update().set("startedAt", now), AgentAssignment.COUNTERS)
                .map(claimed -> true)
                .onErrorResume(DuplicateKeyException.class, claimedMeanwhile -> Mono.just(false))
                .flatMap(claimed -> claimed ? recount() : Mono.just(false));
    }

    /**
     * Counts every department's loads from its open work and sets them where its work did not change meanwhile:
     * true if every department was set (or had nothing to set); false leaves the rest for the next tick.
     */
    Mono<Boolean> recount() {
        long started = System.nanoTime();
        List<String> departments = catalog.current().departments().stream().map(Catalog.Department::code).toList();
        Query counters = Query.query(Criteria.where("_id").in(departments.stream().map(QueueChanges::id).toList()));
        counters.fields().include("changes");
        return mongo.find(counters, Document.class, QueueChanges.COLLECTION)
                .collectMap(counter -> counter.getString("_id"), counter -> counter)
                .flatMap(before -> count(departments).flatMap(counted -> set(departments, before, counted)
                        .map(all -> {
                            unfinished = !all;
                            long held = counted.values().stream().flatMap(agents -> agents.values().stream())
                                    .mapToLong(Long::longValue).sum();
                            log.info("Counted the agents' loads from work: {} open pieces held in {} department(s), "
                                    + "in {} ms{}", held, counted.size(),
                                    Duration.ofNanos(System.nanoTime() - started).toMillis(),
                                    all ? "" : "; departments whose work changed meanwhile are counted again soon");
                            return all;
                        })))
                .flatMap(all -> all ? mongo.updateFirst(Query.query(Criteria.where("_id").is(LEASE)),
                        new Update().set("countedAt", clock.instant()), AgentAssignment.COUNTERS).thenReturn(true)
                        : Mono.just(false));
    }

    /**
     * The open work agents hold in the departments, by department and agent: one query of the open work's department
     * and agent (no id), which the queue index holds, so that the store answers from the index's keys without
     * reading a work item (a covered query, on MongoDB as on the local store), counted here. (An aggregation grouping
     * them read every open item held on the local store: 32 s for 82,000, during which the store answered nothing
     * else.)
     */
    private Mono<Map<String, Map<String, Long>>> count(List<String> departments) {
        Query held = Query.query(Criteria.where("department").in(departments).and("status").in(WorkStatus.OPEN)
                .and("agent").ne(null));
        held.fields().include("department", "agent").exclude("_id");
        return mongo.find(held, Document.class, WorkItem.COLLECTION)
                .filter(key -> key.getString("agent") != null && !key.getString("agent").isEmpty())
                .collect(HashMap::new, (counted, key) -> counted
                        .computeIfAbsent(key.getString("department"), any -> new LinkedHashMap<String, Long>())
                        .merge(key.getString("agent"), 1L, Long::sum));
    }

    /** One bulk write: each department's loads set, guarded on its counter as read before the count. */
    private Mono<Boolean> set(List<String> departments, Map<String, Document> before,
            Map<String, Map<String, Long>> counted) {
        ReactiveBulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, QueueChanges.COLLECTION);
        int statements = 0;
        for (String department : departments) {
            Document load = new Document();
            counted.getOrDefault(department, Map.of()).forEach((agent, held) -> load.put(AgentLoads.key(agent),
                    held));
            Document counter = before.get(QueueChanges.id(department));
            Criteria unchanged = Criteria.where("_id").is(QueueChanges.id(department));
            unchanged = counter == null || counter.get("changes") == null ? unchanged.and("changes").exists(false)
                    : unchanged.and("changes").is(counter.get("changes"));
            if (counter != null) {
                bulk.updateOne(Query.query(unchanged), new Update().set(AgentLoads.FIELD, load));
                statements++;
            }
            else if (!load.isEmpty()) {
                // work from before its counter was kept with it: the counter is made here (a raise meanwhile fails it)
                bulk.upsert(Query.query(unchanged), new Update().set(AgentLoads.FIELD, load));
                statements++;
            }
        }
        if (statements == 0) {
            return Mono.just(true);
        }
        int all = statements;
        return bulk.execute()
                .map(result -> result.getMatchedCount() + result.getUpserts().size() == all)
                .onErrorResume(DataAccessException.class, failed -> {
                    if (!(failed.getCause() instanceof MongoBulkWriteException)) {
                        return Mono.error(failed);
                    }
                    return Mono.just(false); // a counter made meanwhile: counted again soon
                });
    }
}
