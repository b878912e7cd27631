package org.city311.metrics.servicelevel;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.city311.contracts.TransferReason;

/**
 * One request's service levels, folded from its events.
 * <p>
 * Every event counts once: an entry whose key was seen is a duplicate. Routing events are applied in their
 * sequence: one that arrives before its predecessors waits for them, so "resolved before routed" gives the same
 * figures as the right order. The other topics' events stand on their own (the routed event carries what a
 * resolution is measured from), so their order does not matter. A link as a duplicate takes the request out of
 * what is open and overdue, whenever it arrives; it is no resolution, closure or reopening, and changes no counter.
 * <p>
 * Not thread-safe: its partition's lock guards it.
 */
final class RequestLedger {

    enum Status { NOT_ROUTED, OPEN, RESOLVED, CLOSED }

    private final String requestId;
    /** Keys of the non-routing entries counted; routing entries are known by their sequence. */
    private Set<String> keys;
    private long appliedSequence;
    private TreeMap<Long, LedgerEntry> waiting;

    private Status status = Status.NOT_ROUTED;
    private String department;
    private String firstDepartment;
    private String serviceCode;
    private String segment;
    /** How it came in, and the filing staff member's team: what a transfer is counted by (never a person). */
    private String channel;
    private String team;
    private Instant submittedAt;
    private Instant routedAt;
    private Instant firstActionDueAt;
    private Instant resolutionDueAt;
    private boolean firstActionTaken;
    private boolean onHoldWithClockPaused;
    private int transfers;
    /** When it was linked as a duplicate of another request: its work is the other's from then on. */
    private Instant linkedAt;
    private Map<String, FollowUp> followUps;

    RequestLedger(String requestId) {
        this.requestId = requestId;
    }

    /** A follow-up of negative feedback, as far as its events told. */
    static final class FollowUp {
        String department;
        Instant dueAt;
        boolean opened;
        boolean closed;

        boolean open() {
            return opened && !closed;
        }
    }

    String requestId() {
        return requestId;
    }

    Status status() {
        return status;
    }

    String department() {
        return department;
    }

    /** Routed, not resolved, and not linked as a duplicate of another request (whose work it then is). */
    boolean open() {
        return status == Status.OPEN && linkedAt == null;
    }

    /** Open and past its resolution due time, unless it is on a hold that stops the standard's clock. */
    boolean overdue(Instant now) {
        return open() && resolutionDueAt != null && now.isAfter(resolutionDueAt) && !onHoldWithClockPaused;
    }

    Iterable<FollowUp> followUps() {
        return followUps == null ? Set.of() : followUps.values();
    }

    /**
     * Adds this request to what is open now, per department: {@code requests} gets {open, overdue} of requests
     * (every department that has any, so that a department with nothing open shows 0), {@code followUps} the
     * same of its follow-ups.
     */
    void tallyOpen(Instant now, Map<String, int[]> requests, Map<String, int[]> followUpsByDepartment) {
        if (department != null) {
            int[] open = requests.computeIfAbsent(department, key -> new int[2]);
            if (open()) {
                open[0]++;
                open[1] += overdue(now) ? 1 : 0;
            }
        }
        for (FollowUp followUp : followUps()) {
            int[] open = followUpsByDepartment.computeIfAbsent(label(followUp.department), key -> new int[2]);
            if (followUp.open()) {
                open[0]++;
                open[1] += followUp.dueAt != null && now.isAfter(followUp.dueAt) ? 1 : 0;
            }
        }
    }

    /**
     * Whether {@link #tallyOpen} counts anything of it: open, or with an open follow-up, or with events waiting.
     * A request that is none of these adds only its departments' names, which its partition keeps apart
     * ({@link #departments}), so that a scrape walks what is open, not the history.
     */
    boolean counted() {
        if (open() || waitingCount() > 0) {
            return true;
        }
        for (FollowUp followUp : followUps()) {
            if (followUp.open()) {
                return true;
            }
        }
        return false;
    }

    /** Adds the departments {@link #tallyOpen} names for it, of requests and of follow-ups, whether open or not. */
    void departments(Set<String> requests, Set<String> followUpsByDepartment) {
        if (department != null) {
            requests.add(department);
        }
        for (FollowUp followUp : followUps()) {
            followUpsByDepartment.add(label(followUp.department));
        }
    }

    boolean seen(LedgerEntry entry) {
        if (entry.kind().routing()) {
            return entry.sequence() <= appliedSequence || waiting != null && waiting.containsKey(entry.sequence());
        }
        return keys != null && keys.contains(entry.key());
    }

    /** @return whether the entry was new (false for a duplicate, which changes nothing) */
    boolean apply(LedgerEntry entry, Figures figures) {
        if (seen(entry)) {
            return false;
        }
        if (!entry.kind().routing()) {
            if (keys == null) {
                keys = new HashSet<>(4);
            }
            keys.add(entry.key());
            applyOther(entry, figures);
            return true;
        }
        if (waiting == null) {
            waiting = new TreeMap<>();
        }
        waiting.put(entry.sequence(), entry);
        while (!waiting.isEmpty() && waiting.firstKey() <= appliedSequence + 1) {
            LedgerEntry next = waiting.pollFirstEntry().getValue();
            if (next.sequence() == appliedSequence + 1) {
                appliedSequence++;
                applyRouting(next, figures);
            }
        }
        if (waiting.isEmpty()) {
            waiting = null;
        }
        return true;
    }

    /** Routing events waiting for an earlier one: not yet counted. */
    int waitingCount() {
        return waiting == null ? 0 : waiting.size();
    }

    private void applyRouting(LedgerEntry entry, Figures figures) {
        switch (entry.kind()) {
            case ROUTED -> {
                status = Status.OPEN;
                department = entry.department();
                firstDepartment = entry.department();
                serviceCode = entry.serviceCode();
                segment = entry.segment();
                if (entry.channel() != null) {
                    channel = entry.channel().intern();
                }
                if (entry.team() != null) {
                    team = entry.team().intern();
                }
                submittedAt = entry.submittedAt();
                routedAt = entry.at();
                firstActionDueAt = entry.firstActionDueAt();
                resolutionDueAt = entry.resolutionDueAt();
                figures.count(Metric.REQUESTS_ROUTED, Map.of("department", label(department)), entry.at());
                figures.count(Metric.SERVICE_ROUTED, Map.of("service_code", label(serviceCode)), entry.at());
                figures.count(Metric.TEAM_ROUTED, Map.of("team", team == null ? "none" : team), entry.at());
                if (submittedAt != null) {
                    figures.observe(Metric.ROUTING_SECONDS, Map.of("department", label(department)),
                            seconds(submittedAt, routedAt), entry.at());
                }
            }
            case ACCEPTED -> firstAction(entry.at(), entry.firstActionDueAt(), entry.department(), figures);
            case HELD -> onHoldWithClockPaused = Boolean.TRUE.equals(entry.clockPaused());
            case RESUMED -> {
                onHoldWithClockPaused = false;
                if (entry.resolutionDueAt() != null) {
                    resolutionDueAt = entry.resolutionDueAt();
                }
            }
            case TRANSFERRED -> {
                transfers++;
                String from = entry.fromDepartment() != null ? entry.fromDepartment() : department;
                figures.count(Metric.REQUESTS_TRANSFERRED,
                        Map.of("from_department", label(from), "to_department", label(entry.department())), entry.at());
                figures.count(Metric.REQUESTS_MISROUTED, Map.of("department", label(from), "channel", label(channel),
                        "team", team == null ? "none" : team, "reason", transferReason(entry.reasonCode())),
                        entry.at());
                String service = label(serviceCode != null ? serviceCode : entry.serviceCode());
                figures.count(Metric.SERVICE_TRANSFERS, Map.of("service_code", service, "from_department", label(from),
                        "to_department", label(entry.department()), "reason", transferReason(entry.reasonCode())),
                        entry.at());
                if (transfers == 1) {
                    figures.count(Metric.REQUESTS_REROUTED, Map.of("department", label(firstDepartment)), entry.at());
                    figures.count(Metric.SERVICE_TRANSFERRED, Map.of("service_code", service), entry.at());
                }
                department = entry.department();
                status = Status.OPEN;
                onHoldWithClockPaused = false;
            }
            case RESOLVED -> resolved(entry, figures);
            case REOPENED -> {
                status = Status.OPEN;
                department = entry.department() != null ? entry.department() : department;
                figures.count(Metric.REQUESTS_REOPENED, Map.of("department", label(department)), entry.at());
            }
            case CLOSED -> {
                status = Status.CLOSED;
                figures.count(Metric.REQUESTS_CLOSED, Map.of("department", label(department)), entry.at());
            }
            default -> {
                // Notes and routing events this service does not read take their place in the sequence only.
            }
        }
    }

    private void resolved(LedgerEntry entry, Figures figures) {
        department = entry.department() != null ? entry.department() : department;
        if (entry.resolutionDueAt() != null) {
            resolutionDueAt = entry.resolutionDueAt();
        }
        firstAction(entry.firstActionAt() != null ? entry.firstActionAt() : entry.at(),
                entry.firstActionDueAt() != null ? entry.firstActionDueAt() : firstActionDueAt, department, figures);
        status = Status.RESOLVED;
        onHoldWithClockPaused = false;
        Map<String, String> byDepartment = Map.of("department", label(department));
        figures.count(Metric.REQUESTS_RESOLVED, Map.of("department", label(department), "segment", label(segment)),
                entry.at());
        if (submittedAt != null) {
            long paused = entry.pausedSeconds() == null ? 0 : entry.pausedSeconds();
            figures.observe(Metric.RESOLUTION_SECONDS,
                    Map.of("department", label(department), "service_code", label(serviceCode)),
                    Math.max(0, seconds(submittedAt, entry.at()) - paused), entry.at());
        }
        if (resolutionDueAt != null) {
            figures.count(Metric.REQUESTS_RESOLVED_WITH_STANDARD, byDepartment, entry.at());
            if (!entry.at().isAfter(resolutionDueAt)) {
                figures.count(Metric.REQUESTS_RESOLVED_WITHIN_STANDARD, byDepartment, entry.at());
            }
        }
    }

    /** The first action on the request, wherever it is: once per request. */
    private void firstAction(Instant at, Instant due, String actingDepartment, Figures figures) {
        if (firstActionTaken) {
            return;
        }
        firstActionTaken = true;
        Map<String, String> byDepartment = Map.of("department", label(actingDepartment));
        figures.count(Metric.FIRST_ACTIONS, byDepartment, at);
        Instant start = submittedAt != null ? submittedAt : routedAt;
        if (start != null) {
            figures.observe(Metric.FIRST_ACTION_SECONDS, byDepartment, seconds(start, at), at);
        }
        Instant firstDue = due != null ? due : firstActionDueAt;
        if (firstDue != null) {
            figures.count(Metric.FIRST_ACTIONS_WITH_STANDARD, byDepartment, at);
            if (!at.isAfter(firstDue)) {
                figures.count(Metric.FIRST_ACTIONS_WITHIN_STANDARD, byDepartment, at);
            }
        }
    }

    private void applyOther(LedgerEntry entry, Figures figures) {
        switch (entry.kind()) {
            case CREATED -> {
                figures.count(Metric.REQUESTS_CREATED,
                        Map.of("channel", label(entry.channel()), "segment", label(entry.segment())), entry.at());
                // (the routed event carries both too, and is read first when this one comes late)
                if (channel == null && entry.channel() != null) {
                    channel = entry.channel().intern();
                }
                if (team == null && entry.team() != null) {
                    team = entry.team().intern();
                }
            }
            case LINKED -> linkedAt = entry.at();
            case FEEDBACK -> {
                Map<String, String> labels = Map.of("department", label(entry.department()), "source",
                        label(entry.source()));
                figures.count(Metric.FEEDBACK_RECEIVED, labels, entry.at());
                if (entry.satisfaction() != null) {
                    figures.observe(Metric.FEEDBACK_SATISFACTION, labels, entry.satisfaction(), entry.at());
                }
                if (entry.resolved() != null) {
                    figures.count(Metric.FEEDBACK_RESOLVED_ANSWERS, Map.of("department", label(entry.department()),
                            "source", label(entry.source()), "answer", entry.resolved() ? "yes" : "no"), entry.at());
                }
            }
            case SURVEY_EXPIRED -> figures.count(Metric.SURVEYS_EXPIRED,
                    Map.of("department", label(entry.department())), entry.at());
            case FOLLOWUP_OPENED -> {
                FollowUp followUp = followUp(entry);
                followUp.opened = true;
                followUp.dueAt = entry.dueAt();
                figures.count(Metric.FOLLOWUPS_OPENED,
                        Map.of("department", label(entry.department()), "reason", label(entry.reason())), entry.at());
            }
            case FOLLOWUP_CLOSED -> {
                followUp(entry).closed = true;
                figures.count(Metric.FOLLOWUPS_CLOSED, Map.of("department", label(entry.department()), "on_time",
                        String.valueOf(Boolean.TRUE.equals(entry.onTime()))), entry.at());
            }
            case FOLLOWUP_OVERDUE -> figures.count(Metric.FOLLOWUPS_MISSED,
                    Map.of("department", label(entry.department())), entry.at());
            default -> throw new IllegalArgumentException("not a non-routing entry: " + entry.kind());
        }
    }

    private FollowUp followUp(LedgerEntry entry) {
        if (followUps == null) {
            followUps = new HashMap<>(2);
        }
        FollowUp followUp = followUps.computeIfAbsent(entry.followUpId(), id -> new FollowUp());
        if (entry.department() != null) {
            followUp.department = entry.department();
        }
        return followUp;
    }

    private static double seconds(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toMillis() / 1000.0);
    }

    /** The {@code reason} label of a transfer: one of the contract's reasons; any other (or none) as {@code other}. */
    static String transferReason(String reasonCode) {
        return TransferReason.counted(reasonCode).wireName();
    }

    /** A label value is never empty or null: "unknown" says the event did not tell. */
    static String label(String value) {
        return value == null || value.isBlank() ? "unknown" : value;
    }
}
