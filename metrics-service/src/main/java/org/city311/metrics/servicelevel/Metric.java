package org.city311.metrics.servicelevel;

/**
 * The service-level measures folded from events: their Prometheus names (a contract with the shipped dashboards
 * and rules, listed in the README), what they count, and for histograms the bucket bounds in seconds, chosen to
 * bracket the published standards (hours for first actions, business days for resolutions).
 */
enum Metric {

    REQUESTS_CREATED("city311_requests_created", "Requests accepted, by channel and customer segment"),
    REQUESTS_ROUTED("city311_requests_routed", "Requests routed for the first time, by the department they were routed to"),
    REQUESTS_REROUTED("city311_requests_rerouted",
            "Requests transferred at least once (counted once, at the first transfer), by the department they were first routed to"),
    REQUESTS_TRANSFERRED("city311_requests_transferred",
            "Transfers of a request from one department to another: each hop of the runaround"),
    REQUESTS_MISROUTED("city311_requests_misrouted",
            "Transfers by why they were made (reason: wrong-service-chosen-at-intake is misrouted at intake), by the department that transferred, the request's channel and the filing team (none when it named none)"),
    SERVICE_ROUTED("city311_service_routed",
            "Requests routed for the first time, by the service asked for (the runaround per service: with city311_service_transferred and city311_service_transfers)"),
    TEAM_ROUTED("city311_team_routed",
            "Requests routed for the first time, by the team of the staff member who filed them (none when it named none): with city311_requests_misrouted, each team's share misrouted at intake"),
    SERVICE_TRANSFERRED("city311_service_transferred",
            "Requests transferred at least once (counted once, at the first transfer), by the service asked for"),
    SERVICE_TRANSFERS("city311_service_transfers",
            "Transfers of a request, each hop, by the service asked for, between which departments and why"),
    FIRST_ACTIONS("city311_first_actions", "Requests a department acted on for the first time (accepted, or resolved without accepting)"),
    FIRST_ACTIONS_WITH_STANDARD("city311_first_actions_with_standard",
            "First actions on requests whose service publishes a first-action standard"),
    FIRST_ACTIONS_WITHIN_STANDARD("city311_first_actions_within_standard",
            "First actions taken by the time the published standard asked for"),
    REQUESTS_RESOLVED("city311_requests_resolved", "Resolutions, by the department that resolved the request and the customer segment"),
    REQUESTS_RESOLVED_WITH_STANDARD("city311_requests_resolved_with_standard",
            "Resolutions of requests whose service publishes a resolution standard"),
    REQUESTS_RESOLVED_WITHIN_STANDARD("city311_requests_resolved_within_standard",
            "Resolutions by the due time of the published standard (moved by holds where the standard pauses the clock)"),
    REQUESTS_REOPENED("city311_requests_reopened", "Resolved requests reopened, by the department that has them"),
    REQUESTS_CLOSED("city311_requests_closed", "Requests closed (the customer confirmed, or the survey window passed)"),
    FEEDBACK_RECEIVED("city311_feedback_received",
            "Feedback received, by the department that handled the request and the feedback's source"),
    FEEDBACK_RESOLVED_ANSWERS("city311_feedback_resolved_answers",
            "Answers to 'was your issue resolved?', by department, source and answer (yes or no)"),
    SURVEYS_EXPIRED("city311_surveys_expired", "Surveys whose window ended unanswered, by department"),
    FOLLOWUPS_OPENED("city311_followups_opened", "Follow-ups opened after negative feedback, by department and reason"),
    FOLLOWUPS_CLOSED("city311_followups_closed", "Follow-ups closed, by department and whether within their due date"),
    FOLLOWUPS_MISSED("city311_followups_missed", "Follow-ups that passed their due date unclosed"),

    ROUTING_SECONDS("city311_routing_seconds", "Time from the resident's request to its first routing",
            1, 5, 15, 30, 60, 300, 900, 3600, 4 * 3600, 86400),
    FIRST_ACTION_SECONDS("city311_first_action_seconds", "Time from the resident's request to the department's first action",
            900, 3600, 4 * 3600, 8 * 3600, 86400, 2 * 86400, 3 * 86400, 5 * 86400, 7 * 86400, 14 * 86400),
    RESOLUTION_SECONDS("city311_resolution_seconds",
            "Time from the resident's request to its resolution, less time on hold where the standard pauses the clock",
            3600, 4 * 3600, 8 * 3600, 86400, 2 * 86400, 3 * 86400, 5 * 86400, 7 * 86400, 10 * 86400, 14 * 86400,
            21 * 86400, 30 * 86400, 60 * 86400, 90 * 86400),
    FEEDBACK_SATISFACTION("city311_feedback_satisfaction",
            "Satisfaction scores (1 very dissatisfied to 5 very satisfied) by department and source: mean is _sum/_count, share satisfied is 1 - bucket{le=\"3.0\"}/_count",
            1, 2, 3, 4, 5);

    private final String prometheusName;
    private final String help;
    private final double[] buckets;

    Metric(String prometheusName, String help, double... buckets) {
        this.prometheusName = prometheusName;
        this.help = help;
        this.buckets = buckets;
    }

    String prometheusName() {
        return prometheusName;
    }

    String help() {
        return help;
    }

    boolean histogram() {
        return buckets.length > 0;
    }

    /** The finite upper bounds, ascending; the {@code +Inf} bucket is implied. */
    double[] buckets() {
        return buckets.clone();
    }
}
