package org.city311.routing.work;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.city311.platform.events.CloudEvent;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.outbox.OutboxRelay;
import org.city311.platform.outbox.PendingEvent;
import org.city311.routing.rules.RoutingDecision;
import org.city311.routing.rules.RoutingInput;
import org.city311.routing.rules.RoutingRules;
import org.springframework.stereotype.Component;

/**
 * Puts each new request in the queue of the department that provides it, in one store command
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
    private final QueueChanges queueChanges;
    private final Clock clock;

    Routing(RoutingRules rules, Deadlines deadlines, AgentAssignment assignment, WorkStore store,
            CloudEvents cloudEvents, OutboxRelay outboxRelay, QueueChanges queueChanges, Clock clock) {
        this.store = store;
        this.queueChanges = queueChanges;
        this.rules = rules;
        this.deadlines = deadlines;
        this.assignment = assignment;
        this.cloudEvents = cloudEvents;
        this.outboxRelay = outboxRelay;
        this.clock = clock;
    }

    void on(WorkEvents.RequestCreated created, CloudEvent envelope) {
        RoutingDecision decision = rules.route(new RoutingInput(created.serviceCode(),
                created.description(), created.attributes(),
                created.location() == null ? null : created.location().latitude(),
                created.location() == null ? null : created.location().longitude()));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        long sequence = 1;
        // The resident's clock starts when they asked, not when the event reached us.
        Deadlines.Due due = deadlines.on(created.serviceCode(), decision.department(),
                created.submittedAt() != null ? created.submittedAt() : now);
        // Where the department assigns its work, an agent has it from now on; it stays routed until accepted.
        // (A redelivered request takes a round-robin turn it does not use: harmless.)
        String agent = assignment.agentFor(decision.department()).block(STORE_TIMEOUT);
        CloudEvent routed = cloudEvents.create(WorkEvents.RequestRouted.TYPE, created.requestId(),
                new WorkEvents.RequestRouted(created.requestId(), created.serviceCode(), decision.department(),
                        decision.rule(), now, sequence, WorkStatus.ROUTED.wireName(), due.firstAction(),
                        due.resolution(), decision.district(), agent, created.submittedAt(), created.channel(),
                        created.segment()));
        WorkItem item = new WorkItem(created.requestId(), created.serviceCode(), decision.department(),
                WorkStatus.ROUTED, sequence, decision.rule(), now, now, null,
                List.of(PendingEvent.of(WorkEvents.ROUTING_TOPIC, routed, cloudEvents)), agent, null, null, 0, null,
                due.firstAction(), due.resolution(), 0, null, null, null, null,
                WorkItem.queueDescription(created.description()), location(created.location()));
        // one command: the item (or a link that overtook it, see DuplicateLinks) and its department's counter
        WorkStore.Routed routedHow = store.route(item).block(STORE_TIMEOUT);
        switch (routedHow) {
            case NEW, LINKED -> {
                outboxRelay.wakeUp(WorkItem.COLLECTION, created.requestId());
                log.info("Routed {} ({}) to {} by rule {}{}{}", created.requestId(), created.serviceCode(),
                        decision.department(), decision.rule(), agent == null ? "" : ", assigned to " + agent,
                        routedHow == WorkStore.Routed.LINKED
                                ? "; linked as a duplicate already: out of its department's open work" : "");
            }
            case ALREADY -> {
                log.debug("{} was already routed; redelivery ignored", created.requestId());
                // a redelivery that follows a store failure between the item's write and its counter's makes it good
                queueChanges.changed(List.of(decision.department())).block(STORE_TIMEOUT);
            }
        }
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
