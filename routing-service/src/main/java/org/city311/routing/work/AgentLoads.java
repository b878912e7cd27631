package org.city311.routing.work;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.ReactiveBulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * How many open pieces of work each agent holds in each department: {@code load.<agent>} in the department's
 * {@link QueueChanges} counter document ({@code _id} {@code queue:<department>}), so that the least-loaded
 * assignment reads one document by {@code _id} instead of counting {@code work}. Kept for every department,
 * whatever its assignment, so that a catalog that makes a department least-loaded finds its loads right.
 * <p>
 * An agent holds a piece of work while it is open ({@link WorkStatus#OPEN}) and names them. Every write of a work
 * item that changes its department, agent or openness moves the loads ({@link Moves#between}) in the same ordered
 * bulk write as the item's own write, so the two cannot part on a crash: an action puts the moves in its
 * departments' counter raises, after the item; routing puts them first (see {@link WorkStore#route}). The store
 * has no transactions, so a statement on the counter runs whether the item's guarded write matched or not; where it
 * did not (a stale version, an item linked meanwhile, a redelivered request-created refused by its id, a link that
 * was waiting for the request), the moves are taken back by a compensating bulk write ({@link #undo}) as soon as
 * the bulk write's result says so.
 * <p>
 * What can still leave a load wrong, and what bounds it: a crash, or a store failure, between a write that moved a
 * load for nothing and its compensation; a write that failed in a way that leaves unknown which of its statements ran
 * ({@link #doubt}); a writer that does not move loads (an older version during an upgrade, an edit by hand). Each
 * is put right by {@link LoadRecount}, which counts the loads again from {@code work}: at start when they were never
 * counted (a store written before loads were kept), every {@code city311.routing.loads.recount-every} (10 minutes)
 * by one instance, and within a minute of a doubt or a negative load seen here.
 */
@Component
class AgentLoads {

    static final String FIELD = "load";
    private static final Logger log = LoggerFactory.getLogger(AgentLoads.class);

    private final ReactiveMongoTemplate mongo;
    /** Something may have left a load wrong: {@link LoadRecount} counts them again soon. */
    private final AtomicBoolean doubted = new AtomicBoolean();

    AgentLoads(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    /**
     * How loads move, by department and agent: +1 for each piece of work an agent takes on, -1 for each they stop
     * holding. Mutable while built; moves that cancel out are dropped.
     */
    static final class Moves {

        private final Map<String, Map<String, Long>> byDepartment = new LinkedHashMap<>();

        /** What an item's change moves: the agent that held it before lets it go, the one holding it after has it. */
        static Moves between(WorkItem before, WorkItem after) {
            Moves moves = new Moves();
            if (holds(before)) {
                moves.add(before.department(), before.agent(), -1);
            }
            if (holds(after)) {
                moves.add(after.department(), after.agent(), 1);
            }
            return moves;
        }

        /** Each new item an agent holds: +1 to that agent. */
        static Moves taking(Collection<WorkItem> items) {
            Moves moves = new Moves();
            items.stream().filter(Moves::holds).forEach(item -> moves.add(item.department(), item.agent(), 1));
            return moves;
        }

        /** Whether the item counts in an agent's load: open, and an agent named. */
        static boolean holds(WorkItem item) {
            return item != null && item.department() != null && item.status() != null
                    && WorkStatus.OPEN.contains(item.status()) && item.agent() != null && !item.agent().isEmpty();
        }

        void add(String department, String agent, long by) {
            Map<String, Long> agents = byDepartment.computeIfAbsent(department, any -> new LinkedHashMap<>());
            long now = agents.getOrDefault(agent, 0L) + by;
            if (now == 0) {
                agents.remove(agent);
                if (agents.isEmpty()) {
                    byDepartment.remove(department);
                }
            }
            else {
                agents.put(agent, now);
            }
        }

        void addAll(Moves other) {
            other.byDepartment.forEach((department, agents) -> agents.forEach((agent, by) -> add(department, agent,
                    by)));
        }

        /** The same moves the other way: what takes these back. */
        Moves undone() {
            Moves undone = new Moves();
            byDepartment.forEach((department, agents) -> agents.forEach((agent, by) -> undone.add(department, agent,
                    -by)));
            return undone;
        }

        boolean isEmpty() {
            return byDepartment.isEmpty();
        }

        Collection<String> departments() {
            return byDepartment.keySet();
        }

        /** The department's moves, by agent (empty if none). */
        Map<String, Long> of(String department) {
            return byDepartment.getOrDefault(department, Map.of());
        }

        /** Adds the department's moves to an update of its counter document: {@code $inc} of each agent's load. */
        Update into(Update update, String department) {
            of(department).forEach((agent, by) -> update.inc(FIELD + "." + key(agent), by));
            return update;
        }

        @Override
        public String toString() {
            return byDepartment.toString();
        }
    }

    /**
     * An agent's name as a field name: {@code %}, {@code .}, {@code $} and NUL percent-encoded ({@code s.goldberg} is
     * {@code s%2Egoldberg}), since a dot would make a path of it, a leading {@code $} an operator, and BSON ends a
     * field name at a NUL.
     */
    static String key(String agent) {
        return agent.replace("%", "%25").replace(".", "%2E").replace("$", "%24").replace("\0", "%00");
    }

    /** The agent a field name of {@code load} stands for. */
    static String agent(String key) {
        return key.replace("%00", "\0").replace("%24", "$").replace("%2E", ".").replace("%25", "%");
    }

    /** Adds the moves to a bulk write of the counters on their own: one upsert per department, no raise. */
    static ReactiveBulkOperations move(ReactiveBulkOperations bulk, Moves moves) {
        for (String department : moves.departments()) {
            bulk.upsert(Query.query(Criteria.where("_id").is(QueueChanges.id(department))),
                    moves.into(new Update(), department));
        }
        return bulk;
    }

    /**
     * The department's loads, by agent (agents with none left out): one read by {@code _id}. Empty when nothing
     * was counted yet. A negative load (a compensation under way, or a drift) is read as it is and puts the loads in
     * doubt.
     */
    Mono<Map<String, Long>> of(String department) {
        Query counter = Query.query(Criteria.where("_id").is(QueueChanges.id(department)));
        counter.fields().include(FIELD);
        return mongo.findOne(counter, Document.class, QueueChanges.COLLECTION)
                .map(document -> {
                    Map<String, Long> loads = new LinkedHashMap<>();
                    Document stored = document.get(FIELD, Document.class);
                    if (stored != null) {
                        stored.forEach((key, value) -> {
                            long load = ((Number) value).longValue();
                            if (load < 0) {
                                doubt("a negative load of " + agent(key) + " in " + department + ": " + load);
                            }
                            if (load != 0) {
                                loads.put(agent(key), load);
                            }
                        });
                    }
                    return loads;
                })
                .defaultIfEmpty(Map.of());
    }

    /**
     * Takes back moves made by a write whose item statement changed nothing: one bulk write (one command). If it
     * fails, the loads are in doubt and counted again soon; it does not fail what it follows.
     */
    Mono<Void> undo(Moves made) {
        if (made.isEmpty()) {
            return Mono.empty();
        }
        return move(mongo.bulkOps(BulkOperations.BulkMode.ORDERED, QueueChanges.COLLECTION), made.undone())
                .execute()
                .then()
                .onErrorResume(failed -> {
                    doubt("taking back " + made + " failed: " + failed);
                    return Mono.empty();
                });
    }

    /** Something may have left a load wrong: they are counted again within a minute ({@link LoadRecount}). */
    void doubt(String why) {
        if (doubted.compareAndSet(false, true)) {
            log.warn("Agents' loads in doubt ({}): counting them again soon", why);
        }
    }

    /** Whether the loads were put in doubt since the last call; clears it. */
    boolean takeDoubt() {
        return doubted.getAndSet(false);
    }
}
