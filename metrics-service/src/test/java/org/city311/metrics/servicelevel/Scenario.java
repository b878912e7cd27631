package org.city311.metrics.servicelevel;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;

import org.city311.platform.test.KafkaTestClient.Outgoing;

/**
 * A scripted month of a city: a few hundred requests across four departments, routed, accepted, held, transferred,
 * resolved on time and late, reopened, closed, surveyed and linked as duplicates; and the figures a careful clerk would tally from it by
 * hand, kept here as plain sums next to the events, independently of the fold under test.
 */
final class Scenario {

    static final List<String> DEPARTMENTS = List.of("transportation", "sanitation", "parks", "environmental-protection");
    static final List<String> SERVICES = List.of("pothole", "missed-collection", "tree-damage", "water-leak");
    static final List<String> CHANNELS = List.of("phone", "web", "open311");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    final List<Outgoing> events = new ArrayList<>();
    /** Expected value per series, as {@code name{label="value",...}} with labels sorted and no partition. */
    final Map<String, Double> expected = new TreeMap<>();
    /** Every histogram observation, as {@code name{labels}} (no _sum/_count): for exact percentiles. */
    final Map<String, List<Double>> observed = new TreeMap<>();
    private final Instant now;

    private Scenario(Instant now) {
        this.now = now;
    }

    static Scenario of(int requests, Instant now, String idPrefix) {
        Scenario scenario = new Scenario(now.truncatedTo(ChronoUnit.SECONDS));
        for (int i = 0; i < requests; i++) {
            scenario.request(i, idPrefix + String.format("%05d", i));
        }
        return scenario;
    }

    /** Every event twice, in a shuffled order: across topics and within a request's routing events. */
    List<Outgoing> deliveries(long seed) {
        List<Outgoing> all = new ArrayList<>(events);
        all.addAll(events);
        Collections.shuffle(all, new Random(seed));
        return all;
    }

    private void request(int i, String id) {
        int dept = i % DEPARTMENTS.size();
        String department = DEPARTMENTS.get(dept);
        String service = SERVICES.get(dept);
        String channel = CHANNELS.get(i % CHANNELS.size());
        String segment = i % 5 == 0 ? "internal" : "resident";
        // phone filings by the call centre's staff carry their team; some routed events predate teams
        String team = channel.equals("phone") ? "call-centre" : null;
        int outcome = i % 10;
        // Most were filed three weeks ago and are long past their three-day standard; every twentieth an hour ago.
        Instant submitted = i % 20 == 0 ? now.minus(Duration.ofHours(1))
                : now.minus(Duration.ofDays(21)).plus(Duration.ofMinutes(10L * i));
        Instant firstActionDue = submitted.plus(Duration.ofHours(24));
        Instant resolutionDue = submitted.plus(Duration.ofHours(72));
        Instant routedAt = submitted.plusSeconds(1 + i % 7);

        send("city311.requests", "city311.request.created.v1", id, submitted, data(
                "requestId", id, "serviceCode", service, "description", "Scripted request " + i, "channel", channel,
                "segment", segment, "submittedAt", submitted));
        add("city311_requests_created_total", channel(channel, segment), 1);

        long sequence = 1;
        routing("city311.request.routed.v1", id, routedAt, sequence, data("requestId", id, "serviceCode", service,
                "department", department, "rule", "service-owner", "routedAt", routedAt, "status", "routed",
                "firstActionDueAt", firstActionDue, "resolutionDueAt", resolutionDue, "submittedAt", submitted,
                "channel", channel, "segment", segment, "team", team));
        add("city311_requests_routed_total", dept(department), 1);
        add("city311_service_routed_total", Map.of("service_code", service), 1);
        add("city311_team_routed_total", Map.of("team", team == null ? "none" : team), 1);
        observe("city311_routing_seconds", dept(department), seconds(submitted, routedAt));

        String current = department;
        boolean open = true;
        boolean pausedHold = false;
        Instant due = resolutionDue;
        List<Instant> resolutions = new ArrayList<>();
        switch (outcome) {
            case 0 -> { }
            case 1 -> {
                Instant accepted = submitted.plus(Duration.ofHours(2));
                routing("city311.request.accepted.v1", id, accepted, ++sequence, data("requestId", id,
                        "serviceCode", service, "department", current, "status", "in_progress", "agent", "a.agent",
                        "acceptedAt", accepted, "firstActionDueAt", firstActionDue));
                firstAction(current, submitted, accepted, firstActionDue);
            }
            case 2 -> {
                Instant accepted = submitted.plus(Duration.ofHours(30));
                routing("city311.request.accepted.v1", id, accepted, ++sequence, data("requestId", id,
                        "serviceCode", service, "department", current, "status", "in_progress", "agent", "a.agent",
                        "acceptedAt", accepted, "firstActionDueAt", firstActionDue));
                firstAction(current, submitted, accepted, firstActionDue);
                resolutions.add(submitted.plus(Duration.ofHours(48)));
            }
            case 3 -> resolutions.add(submitted.plus(Duration.ofHours(100)));
            case 4 -> {
                Instant held = submitted.plus(Duration.ofHours(10));
                routing("city311.request.put-on-hold.v1", id, held, ++sequence, data("requestId", id,
                        "serviceCode", service, "department", current, "status", "on_hold", "reason", "Parts",
                        "heldAt", held, "clockPaused", true));
                pausedHold = true;
            }
            case 5 -> {
                Instant held = submitted.plus(Duration.ofHours(10));
                Instant resumed = submitted.plus(Duration.ofHours(58));
                due = resolutionDue.plus(Duration.ofHours(48));
                routing("city311.request.put-on-hold.v1", id, held, ++sequence, data("requestId", id,
                        "serviceCode", service, "department", current, "status", "on_hold", "reason", "Parts",
                        "heldAt", held, "clockPaused", true));
                routing("city311.request.resumed.v1", id, resumed, ++sequence, data("requestId", id,
                        "serviceCode", service, "department", current, "status", "in_progress",
                        "heldSeconds", 48 * 3600, "resumedAt", resumed, "resolutionDueAt", due));
                resolutions.add(submitted.plus(Duration.ofHours(100)));
            }
            case 6, 7 -> {
                int hops = outcome == 6 ? 1 : 2;
                for (int hop = 1; hop <= hops; hop++) {
                    String to = DEPARTMENTS.get((dept + hop) % DEPARTMENTS.size());
                    Instant at = submitted.plus(Duration.ofHours(2L * hop));
                    // the first hop says why (for some: the wrong service chosen at intake); a second names none
                    String reasonCode = hop == 1 ? (i % 3 == 0 ? "wrong-service-chosen-at-intake"
                            : "wrong-department-in-catalog") : null;
                    routing("city311.request.transferred.v1", id, at, ++sequence, data("requestId", id,
                            "serviceCode", service, "fromDepartment", current, "toDepartment", to, "department", to,
                            "status", "routed", "reason", "Not ours", "reasonCode", reasonCode, "hop", hop,
                            "transferredAt", at));
                    add("city311_requests_transferred_total", Map.of("from_department", current, "to_department", to),
                            1);
                    String reason = reasonCode == null ? "other" : reasonCode;
                    add("city311_requests_misrouted_total", Map.of("department", current, "channel", channel,
                            "team", team == null ? "none" : team, "reason", reason), 1);
                    add("city311_service_transfers_total", Map.of("service_code", service, "from_department", current,
                            "to_department", to, "reason", reason), 1);
                    current = to;
                }
                add("city311_requests_rerouted_total", dept(department), 1);
                add("city311_service_transferred_total", Map.of("service_code", service), 1);
                if (outcome == 6) {
                    resolutions.add(submitted.plus(Duration.ofHours(40)));
                }
            }
            case 8 -> {
                resolutions.add(submitted.plus(Duration.ofHours(20)));
                resolutions.add(submitted.plus(Duration.ofHours(80)));
            }
            default -> resolutions.add(submitted.plus(Duration.ofHours(20)));
        }

        for (int r = 0; r < resolutions.size(); r++) {
            Instant resolved = resolutions.get(r);
            long paused = outcome == 5 ? 48 * 3600 : 0;
            if (r > 0) {
                Instant reopened = resolutions.get(r - 1).plus(Duration.ofHours(10));
                routing("city311.request.reopened.v1", id, reopened, ++sequence, data("requestId", id,
                        "serviceCode", service, "department", current, "status", "reopened", "reason", "Back again",
                        "reopenedAt", reopened));
                add("city311_requests_reopened_total", dept(current), 1);
            }
            routing("city311.request.resolved.v1", id, resolved, ++sequence, data("requestId", id,
                    "serviceCode", service, "department", current, "resolutionCode", "fixed", "note", "Done",
                    "resolvedAt", resolved, "firstActionAt", outcome == 2 ? submitted.plus(Duration.ofHours(30))
                            : resolutions.get(0),
                    "firstActionDueAt", firstActionDue, "resolutionDueAt", due, "pausedSeconds", paused));
            if (r == 0 && outcome != 2) {
                firstAction(current, submitted, resolved, firstActionDue);
            }
            add("city311_requests_resolved_total", Map.of("department", current, "segment", segment), 1);
            add("city311_requests_resolved_with_standard_total", dept(current), 1);
            add("city311_requests_resolved_within_standard_total", dept(current), resolved.isAfter(due) ? 0 : 1);
            double resolutionSeconds = seconds(submitted, resolved) - paused;
            observe("city311_resolution_seconds", Map.of("department", current, "service_code", service),
                    resolutionSeconds);
            add("city311_resolution_seconds_bucket", Map.of("department", current, "service_code", service,
                    "le", "259200.0"), resolutionSeconds <= 259200 ? 1 : 0);
            open = false;
        }
        if (outcome == 9) {
            Instant closed = resolutions.get(0).plus(Duration.ofHours(5));
            routing("city311.request.closed.v1", id, closed, ++sequence, data("requestId", id, "serviceCode",
                    service, "department", current, "status", "closed", "reason", "Confirmed", "closedAt", closed));
            add("city311_requests_closed_total", dept(current), 1);
        }
        // Some open ones turn out to be second reports of another: linked as duplicates, they are no longer open work
        // (one long overdue, one on a hold that stops the clock).
        boolean linked = open && (i % 40 == 10 || i % 40 == 24);
        if (linked) {
            Instant linkedAt = routedAt.plus(Duration.ofHours(1));
            send("city311.requests", "city311.request.linked.v1", id, linkedAt, data("requestId", id,
                    "parentRequestId", id.substring(0, id.length() - 1) + "x", "linkedAt", linkedAt));
        }
        if (open && !linked) {
            add("city311_requests_open", dept(current), 1);
            add("city311_requests_overdue", dept(current), !pausedHold && now.isAfter(due) ? 1 : 0);
        }
        else {
            add("city311_requests_open", dept(current), 0);
            add("city311_requests_overdue", dept(current), 0);
        }

        if (outcome == 3) {
            Instant expired = resolutions.get(0).plus(Duration.ofDays(14));
            send("city311.feedback", "city311.survey.expired.v1", id, expired, data("surveyId", id, "requestId", id,
                    "department", current, "serviceCode", service, "resolutionSequence", sequence,
                    "expiredAt", expired));
            add("city311_surveys_expired_total", dept(current), 1);
        }
        else if (!resolutions.isEmpty()) {
            feedback(i, id, current, service, resolutions.get(resolutions.size() - 1));
        }
    }

    private void feedback(int i, String id, String department, String service, Instant resolved) {
        int satisfaction = 1 + (i * 7) % 5;
        boolean resolvedAnswer = satisfaction >= 3;
        String source = i % 3 == 0 ? "phone" : "survey";
        Instant received = resolved.plus(Duration.ofHours(6));
        send("city311.feedback", "city311.feedback.received.v1", id, received, data("feedbackId", "fb-" + id,
                "requestId", id, "department", department, "serviceCode", service, "source", source,
                "satisfaction", satisfaction, "resolved", resolvedAnswer, "receivedAt", received));
        Map<String, String> labels = Map.of("department", department, "source", source);
        add("city311_feedback_received_total", labels, 1);
        observe("city311_feedback_satisfaction", labels, satisfaction);
        add("city311_feedback_resolved_answers_total", Map.of("department", department, "source", source,
                "answer", resolvedAnswer ? "yes" : "no"), 1);
        if (satisfaction > 2) {
            return;
        }
        String followUpId = "fu-" + id;
        Instant dueAt = i % 2 == 0 ? now.plus(Duration.ofDays(2)) : now.minus(Duration.ofDays(1));
        send("city311.feedback", "city311.followup.opened.v1", id, received, data("followUpId", followUpId,
                "requestId", id, "department", department, "serviceCode", service, "reason", "low_satisfaction",
                "dueAt", dueAt, "openedAt", received));
        add("city311_followups_opened_total", Map.of("department", department, "reason", "low_satisfaction"), 1);
        boolean closed = i % 4 == 1;
        if (closed) {
            Instant closedAt = received.plus(Duration.ofDays(1));
            send("city311.feedback", "city311.followup.closed.v1", id, closedAt, data("followUpId", followUpId,
                    "requestId", id, "department", department, "rootCause", "communication", "action", "Called back",
                    "onTime", true, "closedAt", closedAt));
            add("city311_followups_closed_total", Map.of("department", department, "on_time", "true"), 1);
        }
        else if (dueAt.isBefore(now)) {
            send("city311.feedback", "city311.followup.overdue.v1", id, dueAt, data("followUpId", followUpId,
                    "requestId", id, "department", department, "dueAt", dueAt, "overdueAt", dueAt));
            add("city311_followups_missed_total", dept(department), 1);
        }
        add("city311_followups_open", dept(department), closed ? 0 : 1);
        add("city311_followups_overdue", dept(department), !closed && dueAt.isBefore(now) ? 1 : 0);
    }

    private void firstAction(String department, Instant submitted, Instant at, Instant due) {
        add("city311_first_actions_total", dept(department), 1);
        add("city311_first_actions_with_standard_total", dept(department), 1);
        add("city311_first_actions_within_standard_total", dept(department), at.isAfter(due) ? 0 : 1);
        observe("city311_first_action_seconds", dept(department), seconds(submitted, at));
    }

    private void routing(String type, String id, Instant at, long sequence, Map<String, Object> data) {
        data.put("sequence", sequence);
        send("city311.routing", type, id, at, data);
    }

    private void send(String topic, String type, String id, Instant at, Map<String, Object> data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", UUID.randomUUID().toString());
        event.put("source", "/city311/scenario");
        event.put("type", type);
        event.put("subject", id);
        event.put("time", at.toString());
        event.put("datacontenttype", "application/json");
        Map<String, Object> json = new LinkedHashMap<>();
        data.forEach((key, value) -> json.put(key, value instanceof Instant instant ? instant.toString() : value));
        event.put("data", json);
        events.add(new Outgoing(topic, id, JSON.writeValueAsString(event)));
    }

    private void observe(String histogram, Map<String, String> labels, double value) {
        observed.computeIfAbsent(series(histogram, labels), key -> new ArrayList<>()).add(value);
        add(histogram + "_count", labels, 1);
        add(histogram + "_sum", labels, value);
    }

    private void add(String name, Map<String, String> labels, double amount) {
        expected.merge(series(name, labels), amount, Double::sum);
    }

    static String series(String name, Map<String, String> labels) {
        StringBuilder series = new StringBuilder(name).append('{');
        new TreeMap<>(labels).forEach((key, value) -> series.append(key).append("=\"").append(value).append("\","));
        if (series.charAt(series.length() - 1) == ',') {
            series.setLength(series.length() - 1);
        }
        return series.append('}').toString();
    }

    private static Map<String, Object> data(Object... pairs) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            data.put((String) pairs[i], pairs[i + 1]);
        }
        return data;
    }

    private static Map<String, String> dept(String department) {
        return Map.of("department", department);
    }

    private static Map<String, String> channel(String channel, String segment) {
        return Map.of("channel", channel, "segment", segment);
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
