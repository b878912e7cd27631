package org.city311.routing.work;

import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import reactor.core.publisher.Mono;

import org.city311.routing.catalog.Catalog;
import org.city311.routing.catalog.ServiceCatalog;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Which agent of a department a request routed or transferred there is given to, where the department's catalog
 * entry says so ({@code assignment}, {@code agents}). Assigning does not change the status: the request waits,
 * {@code routed}, in that agent's part of the queue until someone accepts it.
 * <ul>
 * <li>{@code round-robin}: each agent in turn, by a counter per department in the store
 * ({@code assignment_counters}), shared by every instance;</li>
 * <li>{@code least-loaded}: the agent with the fewest open pieces of work in the department, the first of the list
 * on a tie, by the loads kept in the department's counter document ({@link AgentLoads}): one read by {@code _id},
 * however much work the department has or had. Two requests assigned at the same moment may both go to the same
 * agent.</li>
 * </ul>
 */
@Component
class AgentAssignment {

    static final String COUNTERS = "assignment_counters";

    private final ServiceCatalog catalog;
    private final ReactiveMongoTemplate mongo;
    private final AgentLoads loads;

    AgentAssignment(ServiceCatalog catalog, ReactiveMongoTemplate mongo, AgentLoads loads) {
        this.catalog = catalog;
        this.mongo = mongo;
        this.loads = loads;
    }

    /** The agent new work in the department goes to; empty if the department does not assign work. */
    Mono<String> agentFor(String department) {
        return agentsFor(department, 1).flatMap(agents -> Mono.justOrEmpty(agents.isEmpty() ? null : agents.get(0)));
    }

    /**
     * The agents {@code count} pieces of new work in the department go to, in order, with one store command whatever
     * the count: the next {@code count} turns taken at once (round-robin), or the loads read once (the department's
     * counter document, by {@code _id}) and each piece added to its agent's load before the next is given
     * (least-loaded; the write that routes them raises the stored loads). An empty list if the department does not
     * assign work.
     */
    Mono<List<String>> agentsFor(String department, int count) {
        Catalog.Department known = catalog.current().department(department).orElse(null);
        if (count < 1 || known == null || !known.assignsAgents()) {
            return Mono.just(List.of());
        }
        List<String> agents = known.agents();
        return switch (known.assignment()) {
            case Catalog.Department.ROUND_ROBIN -> takeTurns(department, count).map(first -> {
                List<String> given = new ArrayList<>(count);
                for (int turn = 0; turn < count; turn++) {
                    given.add(roundRobin(agents, first + turn));
                }
                return given;
            });
            // one read by _id for all the agents: the department's counter document, which keeps their loads (a
            // negative one, while a write is taken back, counts as none)
            case Catalog.Department.LEAST_LOADED -> loads.of(department)
                    .map(held -> leastLoaded(agents,
                            agents.stream().map(agent -> Math.max(0L, held.getOrDefault(agent, 0L))).toList(),
                            count));
            default -> Mono.just(List.of());
        };
    }

    /** The first of the department's next {@code count} turns, from 0: one atomic increment of its counter. */
    private Mono<Long> takeTurns(String department, int count) {
        return mongo.findAndModify(Query.query(Criteria.where("_id").is(department)),
                        new Update().inc("turns", count),
                        FindAndModifyOptions.options().upsert(true).returnNew(true), Document.class, COUNTERS)
                .map(counter -> counter.get("turns", Number.class).longValue() - count);
    }

    /** The agent whose turn it is: the list over and over. */
    static String roundRobin(List<String> agents, long turn) {
        return agents.get((int) Math.floorMod(turn, (long) agents.size()));
    }

    /** The agent with the fewest open pieces of work ({@code loads}, in the order of the list); the first on a tie. */
    static String leastLoaded(List<String> agents, List<Long> loads) {
        int least = 0;
        for (int i = 1; i < agents.size(); i++) {
            if (loads.get(i) < loads.get(least)) {
                least = i;
            }
        }
        return agents.get(least);
    }

    /** {@code count} pieces of work given one after the other, each to the least loaded agent counting those before. */
    static List<String> leastLoaded(List<String> agents, List<Long> loads, int count) {
        List<Long> counting = new ArrayList<>(loads);
        List<String> given = new ArrayList<>(count);
        for (int piece = 0; piece < count; piece++) {
            String agent = leastLoaded(agents, counting);
            int index = agents.indexOf(agent);
            counting.set(index, counting.get(index) + 1);
            given.add(agent);
        }
        return given;
    }
}
