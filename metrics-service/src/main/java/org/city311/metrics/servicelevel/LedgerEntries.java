package org.city311.metrics.servicelevel;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.city311.contracts.Topics;
import org.city311.platform.events.CloudEvent;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.events.JsonFields;
import org.city311.platform.events.MalformedEventException;

import tools.jackson.databind.JsonNode;

import static org.city311.platform.events.JsonFields.bool;
import static org.city311.platform.events.JsonFields.instant;
import static org.city311.platform.events.JsonFields.smallWholeNumber;
import static org.city311.platform.events.JsonFields.text;
import static org.city311.platform.events.JsonFields.wholeNumber;

/** Reads an event of the three topics as the ledger entry it makes, or none for events the fold does not read. */
final class LedgerEntries {

    private static final Map<String, LedgerEntry.Kind> ROUTING_TYPES = Map.of(
            "city311.request.routed", LedgerEntry.Kind.ROUTED,
            "city311.request.accepted", LedgerEntry.Kind.ACCEPTED,
            "city311.request.updated", LedgerEntry.Kind.UPDATED,
            "city311.request.put-on-hold", LedgerEntry.Kind.HELD,
            "city311.request.resumed", LedgerEntry.Kind.RESUMED,
            "city311.request.transferred", LedgerEntry.Kind.TRANSFERRED,
            "city311.request.resolved", LedgerEntry.Kind.RESOLVED,
            "city311.request.reopened", LedgerEntry.Kind.REOPENED,
            "city311.request.closed", LedgerEntry.Kind.CLOSED);

    private static final Map<String, LedgerEntry.Kind> OTHER_TYPES = Map.of(
            "city311.request.created", LedgerEntry.Kind.CREATED,
            "city311.request.linked", LedgerEntry.Kind.LINKED,
            "city311.feedback.received", LedgerEntry.Kind.FEEDBACK,
            "city311.survey.expired", LedgerEntry.Kind.SURVEY_EXPIRED,
            "city311.followup.opened", LedgerEntry.Kind.FOLLOWUP_OPENED,
            "city311.followup.closed", LedgerEntry.Kind.FOLLOWUP_CLOSED,
            "city311.followup.overdue", LedgerEntry.Kind.FOLLOWUP_OVERDUE);

    /** Every field any of them carries; each type fills its own (a tolerant reader: unknown fields are ignored). */
    record EventData(String requestId, String serviceCode, String department, String fromDepartment,
            String toDepartment, String channel, String segment, Instant submittedAt, Long sequence,
            Instant firstActionAt, Instant firstActionDueAt, Instant resolutionDueAt, Long pausedSeconds,
            Boolean clockPaused, String feedbackId, String source, Integer satisfaction, Boolean resolved,
            String followUpId, String surveyId, Long resolutionSequence, String reason, Instant dueAt,
            Boolean onTime, Instant linkedAt, String team, String reasonCode) {

        /**
         * Read straight from the event's data ({@link JsonFields}), or null when a field is not plain (the mapper
         * reads it then).
         */
        static EventData plain(JsonNode data) {
            if (!data.isObject()) {
                return null;
            }
            try {
                return new EventData(text(data, "requestId"), text(data, "serviceCode"), text(data, "department"),
                        text(data, "fromDepartment"), text(data, "toDepartment"), text(data, "channel"),
                        text(data, "segment"), instant(data, "submittedAt"), wholeNumber(data, "sequence"),
                        instant(data, "firstActionAt"), instant(data, "firstActionDueAt"),
                        instant(data, "resolutionDueAt"), wholeNumber(data, "pausedSeconds"),
                        bool(data, "clockPaused"), text(data, "feedbackId"), text(data, "source"),
                        smallWholeNumber(data, "satisfaction"), bool(data, "resolved"), text(data, "followUpId"),
                        text(data, "surveyId"), wholeNumber(data, "resolutionSequence"), text(data, "reason"),
                        instant(data, "dueAt"), bool(data, "onTime"), instant(data, "linkedAt"), text(data, "team"),
                        text(data, "reasonCode"));
            }
            catch (JsonFields.Unusual unusual) {
                return null;
            }
        }
    }

    /** The request an event belongs to, and what it adds to its ledger. */
    record Read(String requestId, LedgerEntry entry) {
    }

    private final CloudEvents cloudEvents;

    LedgerEntries(CloudEvents cloudEvents) {
        this.cloudEvents = cloudEvents;
    }

    Optional<Read> read(String topic, CloudEvent event) {
        String type = event.type();
        int lastDot = type.lastIndexOf('.');
        String family = lastDot < 0 ? type : type.substring(0, lastDot);
        boolean routingTopic = Topics.ROUTING.equals(topic);
        LedgerEntry.Kind kind = routingTopic ? ROUTING_TYPES.get(family) : OTHER_TYPES.get(family);
        if (kind != null && !type.endsWith(".v1")) {
            throw new MalformedEventException("unsupported version of " + family + ": " + type);
        }
        if (kind == null && !(routingTopic && family.startsWith("city311.request."))) {
            return Optional.empty();
        }
        EventData plain = EventData.plain(event.data());
        EventData data = plain != null ? plain : cloudEvents.data(event, EventData.class);
        String requestId = data.requestId() != null ? data.requestId() : event.subject();
        if (requestId == null || requestId.isBlank()) {
            throw new MalformedEventException(type + " " + event.id() + " names no request");
        }
        if (kind == null) {
            kind = LedgerEntry.Kind.OTHER_ROUTING;
        }
        return Optional.of(new Read(requestId, entry(kind, event, data)));
    }

    private static LedgerEntry entry(LedgerEntry.Kind kind, CloudEvent event, EventData data) {
        Instant at = event.time();
        if (kind.routing()) {
            if (data.sequence() == null || data.sequence() < 1) {
                throw new MalformedEventException(event.type() + " " + event.id() + " has no sequence");
            }
            return LedgerEntry.of("routing:" + data.sequence(), kind, at).sequence(data.sequence())
                    .department(kind == LedgerEntry.Kind.TRANSFERRED && data.toDepartment() != null
                            ? data.toDepartment() : data.department())
                    .fromDepartment(data.fromDepartment()).serviceCode(data.serviceCode()).channel(data.channel())
                    .segment(data.segment()).submittedAt(data.submittedAt()).firstActionAt(data.firstActionAt())
                    .firstActionDueAt(data.firstActionDueAt()).resolutionDueAt(data.resolutionDueAt())
                    .pausedSeconds(data.pausedSeconds()).clockPaused(data.clockPaused()).team(data.team())
                    .reasonCode(data.reasonCode()).build();
        }
        return switch (kind) {
            case CREATED -> LedgerEntry.of("created", kind, data.submittedAt() != null ? data.submittedAt() : at)
                    .channel(data.channel()).segment(data.segment()).serviceCode(data.serviceCode())
                    .team(data.team()).build();
            // a request is linked once: a second link event is the same link delivered again
            case LINKED -> LedgerEntry.of("linked", kind, data.linkedAt() != null ? data.linkedAt() : at).build();
            case FEEDBACK -> LedgerEntry.of("feedback:" + required(data.feedbackId(), "feedbackId", event), kind, at)
                    .department(data.department()).serviceCode(data.serviceCode()).source(data.source())
                    .satisfaction(data.satisfaction()).resolved(data.resolved()).channel(data.channel()).build();
            case SURVEY_EXPIRED -> LedgerEntry.of("survey-expired:" + data.surveyId() + ":"
                    + data.resolutionSequence(), kind, at).department(data.department()).build();
            case FOLLOWUP_OPENED, FOLLOWUP_CLOSED, FOLLOWUP_OVERDUE -> LedgerEntry.of(kind.name().toLowerCase()
                    + ":" + required(data.followUpId(), "followUpId", event), kind, at)
                    .followUpId(data.followUpId()).department(data.department()).reason(data.reason())
                    .dueAt(data.dueAt()).onTime(data.onTime()).build();
            default -> throw new IllegalStateException("unexpected " + kind);
        };
    }

    private static String required(String value, String field, CloudEvent event) {
        if (value == null || value.isBlank()) {
            throw new MalformedEventException(event.type() + " " + event.id() + " has no " + field);
        }
        return value;
    }
}
