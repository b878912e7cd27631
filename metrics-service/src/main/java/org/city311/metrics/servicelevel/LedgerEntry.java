package org.city311.metrics.servicelevel;

import java.time.Instant;

/**
 * What the fold keeps of one event: only the fields service levels are computed from (no description, no
 * location, no personal data). A request's entries, folded in order, give the same figures whenever they are
 * folded again: at a restart, a rebalance or a rebuild.
 *
 * @param key what makes the event count once: {@code routing:<sequence>} for the routing topic (every routing
 *        event carries the request's next sequence), {@code created}, {@code linked}, or the id of the feedback or
 *        follow-up
 * @param kind what happened, see {@link Kind}
 * @param sequence the routing sequence, for routing events; 0 otherwise
 * @param at when it happened
 * @param team the filing staff member's team (created and routed events), for misrouting per team
 * @param reasonCode why a transfer was made, from the fixed list of the transferred event
 */
record LedgerEntry(
        String key,
        Kind kind,
        long sequence,
        Instant at,
        String department,
        String fromDepartment,
        String serviceCode,
        String channel,
        String segment,
        Instant submittedAt,
        Instant firstActionAt,
        Instant firstActionDueAt,
        Instant resolutionDueAt,
        Long pausedSeconds,
        Boolean clockPaused,
        String source,
        Integer satisfaction,
        Boolean resolved,
        String followUpId,
        String reason,
        Instant dueAt,
        Boolean onTime,
        String team,
        String reasonCode) {

    enum Kind {
        CREATED, ROUTED, ACCEPTED, UPDATED, HELD, RESUMED, TRANSFERRED, RESOLVED, REOPENED, CLOSED,
        /** A routing event of a type this service does not read: it still takes its place in the sequence. */
        OTHER_ROUTING,
        FEEDBACK, SURVEY_EXPIRED, FOLLOWUP_OPENED, FOLLOWUP_CLOSED, FOLLOWUP_OVERDUE,
        /** Linked as a duplicate of another request (from the requests topic): no longer open work. */
        LINKED;

        boolean routing() {
            return compareTo(ROUTED) >= 0 && compareTo(OTHER_ROUTING) <= 0;
        }
    }

    /**
     * The entry as stored in its ledger, field for field what Spring Data's mapping writes for it (absent fields
     * left out, times as dates, the kind by name): a ledger written here or through the mapping holds the same
     * entries, and {@code $addToSet} finds an entry stored either way. Mapping each entry through Spring Data was a
     * seventh of metrics-service's CPU in a rebuild.
     */
    org.bson.Document toDocument() {
        org.bson.Document document = new org.bson.Document("key", key).append("kind", kind.name())
                .append("sequence", sequence);
        put(document, "at", at);
        put(document, "department", department);
        put(document, "fromDepartment", fromDepartment);
        put(document, "serviceCode", serviceCode);
        put(document, "channel", channel);
        put(document, "segment", segment);
        put(document, "submittedAt", submittedAt);
        put(document, "firstActionAt", firstActionAt);
        put(document, "firstActionDueAt", firstActionDueAt);
        put(document, "resolutionDueAt", resolutionDueAt);
        put(document, "pausedSeconds", pausedSeconds);
        put(document, "clockPaused", clockPaused);
        put(document, "source", source);
        put(document, "satisfaction", satisfaction);
        put(document, "resolved", resolved);
        put(document, "followUpId", followUpId);
        put(document, "reason", reason);
        put(document, "dueAt", dueAt);
        put(document, "onTime", onTime);
        put(document, "team", team);
        put(document, "reasonCode", reasonCode);
        return document;
    }

    private static void put(org.bson.Document document, String field, Object value) {
        if (value != null) {
            document.append(field, value instanceof Instant instant ? java.util.Date.from(instant) : value);
        }
    }

    static Builder of(String key, Kind kind, Instant at) {
        return new Builder(key, kind, at);
    }

    /** Most events fill a few of the fields; the builder names them. */
    static final class Builder {
        private final String key;
        private final Kind kind;
        private final Instant at;
        private long sequence;
        private String department;
        private String fromDepartment;
        private String serviceCode;
        private String channel;
        private String segment;
        private Instant submittedAt;
        private Instant firstActionAt;
        private Instant firstActionDueAt;
        private Instant resolutionDueAt;
        private Long pausedSeconds;
        private Boolean clockPaused;
        private String source;
        private Integer satisfaction;
        private Boolean resolved;
        private String followUpId;
        private String reason;
        private Instant dueAt;
        private Boolean onTime;
        private String team;
        private String reasonCode;

        private Builder(String key, Kind kind, Instant at) {
            this.key = key;
            this.kind = kind;
            this.at = at;
        }

        Builder sequence(long sequence) { this.sequence = sequence; return this; }
        Builder department(String department) { this.department = department; return this; }
        Builder fromDepartment(String fromDepartment) { this.fromDepartment = fromDepartment; return this; }
        Builder serviceCode(String serviceCode) { this.serviceCode = serviceCode; return this; }
        Builder channel(String channel) { this.channel = channel; return this; }
        Builder segment(String segment) { this.segment = segment; return this; }
        Builder submittedAt(Instant submittedAt) { this.submittedAt = submittedAt; return this; }
        Builder firstActionAt(Instant firstActionAt) { this.firstActionAt = firstActionAt; return this; }
        Builder firstActionDueAt(Instant firstActionDueAt) { this.firstActionDueAt = firstActionDueAt; return this; }
        Builder resolutionDueAt(Instant resolutionDueAt) { this.resolutionDueAt = resolutionDueAt; return this; }
        Builder pausedSeconds(Long pausedSeconds) { this.pausedSeconds = pausedSeconds; return this; }
        Builder clockPaused(Boolean clockPaused) { this.clockPaused = clockPaused; return this; }
        Builder source(String source) { this.source = source; return this; }
        Builder satisfaction(Integer satisfaction) { this.satisfaction = satisfaction; return this; }
        Builder resolved(Boolean resolved) { this.resolved = resolved; return this; }
        Builder followUpId(String followUpId) { this.followUpId = followUpId; return this; }
        Builder reason(String reason) { this.reason = reason; return this; }
        Builder dueAt(Instant dueAt) { this.dueAt = dueAt; return this; }
        Builder onTime(Boolean onTime) { this.onTime = onTime; return this; }
        Builder team(String team) { this.team = team; return this; }
        Builder reasonCode(String reasonCode) { this.reasonCode = reasonCode; return this; }

        LedgerEntry build() {
            return new LedgerEntry(key, kind, sequence, at, department, fromDepartment, serviceCode, channel, segment,
                    submittedAt, firstActionAt, firstActionDueAt, resolutionDueAt, pausedSeconds, clockPaused, source,
                    satisfaction, resolved, followUpId, reason, dueAt, onTime, team, reasonCode);
        }
    }
}
