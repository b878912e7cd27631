package org.city311.routing.work;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.city311.contracts.Topics;
import org.city311.platform.events.CloudEvent;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.outbox.OutboxRelay;
import org.city311.platform.outbox.PendingEvent;
import org.city311.routing.rules.RoutingDecision;
import org.city311.routing.rules.RoutingInput;
import org.city311.routing.rules.RoutingRules;
import org.springframework.stereotype.Component;

/**
 * Puts each new request in the queue of the department that provides it, a whole batch of them in one store command
 * ({@link WorkStore#route}). The work item's id is the request id, so a redelivered request-created finds it there
 * and routes nothing twice; a link that overtook the request is met by the same write, by that id.
 */
@Component
class Routing {

    private static final Logger log = LoggerFactory.getLogger(Routing.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

    private final RoutingRules rules;
    private final Deadlines deadlines;
    private final AgentAssignment assignment;
    private final WorkStore store;
    private final CloudEvents cloudEvents;
    private final OutboxRelay outboxRelay;
    private final Clock clock;

    Routing(RoutingRules rules, Deadlines deadlines, AgentAssignment assignment, WorkStore store,
            CloudEvents cloudEvents, OutboxRelay outboxRelay, Clock clock) {
        this.store = store;
        this.rules = rules;
        this.deadlines = deadlines;
        this.assignment = assignment;
        this.cloudEvents = cloudEvents;
        this.outboxRelay = outboxRelay;
        this.clock = clock;
    }

    /**
     * Routes a batch of new requests (distinct ids, in the order read) with one store command for their items and
     * counters ({@link WorkStore#route}), plus one for each department among them that assigns its work to agents.
     */
    void route(List<WorkEvents.RequestCreated> batch) {
        if (batch.isEmpty()) {
            return;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Map<WorkEvents.RequestCreated, RoutingDecision> decisions = new LinkedHashMap<>();
        for (WorkEvents.RequestCreated created : batch) {
            decisions.put(created, rules.route(new RoutingInput(created.serviceCode(),
                    created.description(), created.attributes(),
                    created.location() == null ? null : created.location().latitude(),
                    created.location() == null ? null : created.location().longitude())));
        }
        // Where the department assigns its work, an agent has it from now on; it stays routed until accepted.
        // (A redelivered request takes a round-robin turn it does not use: harmless.)
        Map<String, Iterator<String>> agents = new HashMap<>();
        decisions.values().stream().collect(Collectors.groupingBy(RoutingDecision::department, Collectors.counting()))
                .forEach((department, count) -> agents.put(department, assignment
                        .agentsFor(department, count.intValue()).block(STORE_TIMEOUT).iterator()));
        List<WorkItem> items = new ArrayList<>(batch.size());
        decisions.forEach((created, decision) -> {
            Iterator<String> departmentAgents = agents.get(decision.department());
            items.add(item(created, decision, departmentAgents.hasNext() ? departmentAgents.next() : null, now));
        });
        // one command: the items (or links that overtook them, see DuplicateLinks) and their departments' counters
        Map<String, WorkStore.Routed> routed = store.route(items).block(STORE_TIMEOUT);
        // every item of the batch, redeliveries too: one whose events were not sent before a crash has them sent now;
        // a new item's are those it was created with, handed over (the others are read)
        for (WorkItem item : items) {
            WorkStore.Routed how = routed.get(item.id());
            if (how == WorkStore.Routed.NEW) {
                outboxRelay.wakeUp(WorkItem.COLLECTION, item.id(), item.outbox());
            }
            else if (how != null) {
                outboxRelay.wakeUp(WorkItem.COLLECTION, item.id());
            }
            if (how == WorkStore.Routed.ALREADY) {
                log.debug("{} was already routed; redelivery ignored", item.id());
                continue;
            }
            log.info("Routed {} ({}) to {} by rule {}{}{}", item.id(), item.serviceCode(), item.department(),
                    item.rule(), item.agent() == null ? "" : ", assigned to " + item.agent(), how == WorkStore.Routed.LINKED
                            ? "; linked as a duplicate already: out of its department's open work" : "");
        }
    }

    /** The new work item of a request, with the routed event it publishes in its outbox. */
    private WorkItem item(WorkEvents.RequestCreated created, RoutingDecision decision, String agent, Instant now) {
        long sequence = 1;
        // The resident's clock starts when they asked, not when the event reached us.
        Deadlines.Due due = deadlines.on(created.serviceCode(), decision.department(),
                created.submittedAt() != null ? created.submittedAt() : now);
        CloudEvent routed = cloudEvents.create(WorkEvents.RequestRouted.TYPE, created.requestId(),
                new WorkEvents.RequestRouted(created.requestId(), created.serviceCode(), decision.department(),
                        decision.rule(), now, sequence, WorkStatus.ROUTED.wireName(), due.firstAction(),
                        due.resolution(), decision.district(), agent, created.submittedAt(), created.channel(),
                        created.segment(), created.team()));
        return new WorkItem(created.requestId(), created.serviceCode(), decision.department(),
                WorkStatus.ROUTED, sequence, decision.rule(), now, now, null,
                List.of(PendingEvent.of(Topics.ROUTING, routed, cloudEvents)), agent, null, null, 0, null,
                due.firstAction(), due.resolution(), 0, null, null, null, null,
                WorkItem.queueDescription(created.description()), location(created.location()));
    }

    /** The queue's copy of where the request is; none when the request gives neither an address nor a point. */
    private static WorkItem.Location location(WorkEvents.RequestCreated.Location given) {
        if (given == null || (given.address() == null && given.latitude() == null && given.longitude() == null)) {
            return null;
        }
        String address = given.address() == null || given.address().isBlank() ? null : given.address().strip();
        return new WorkItem.Location(address, given.latitude(), given.longitude());
    }
}
