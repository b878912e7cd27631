package org.city311.console.web;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.city311.contracts.TransferReason;

import org.springframework.stereotype.Component;

/**
 * The services' codes in the words people use: a follow-up's reason and root cause as a supervisor says them, a
 * request's status and steps as a resident reads them. A code not listed here (the services may add some) is still
 * shown readably: "referred_outside" as "Referred outside". Templates call it as {@code @words}.
 */
@Component("words")
public class Words {

    /** feedback-service's follow-up reasons (contracts/schemas/city311.followup.opened.v1.json). */
    static final Map<String, String> FOLLOW_UP_REASONS = Map.of(
            "not_resolved", "Not resolved",
            "low_satisfaction", "Dissatisfied",
            "low_audit", "Audit below standard");

    /** feedback-service's root causes of a closed follow-up (its FollowUpController accepts these). */
    static final Map<String, String> ROOT_CAUSES = Map.of(
            "staffing", "Staffing",
            "process", "How the work is done",
            "communication", "Communication",
            "contractor", "Contractor",
            "wrong_routing", "Sent to the wrong department",
            "resident_expectation", "What the resident expected",
            "other", "Other");

    /** request-service's statuses, as a resident reads them. */
    static final Map<String, String> STATUSES = Map.of(
            "submitted", "Received",
            "routed", "With the department",
            "in_progress", "In progress",
            "on_hold", "On hold",
            "resolved", "Resolved",
            "reopened", "Reopened",
            "closed", "Closed");

    /** The steps of a request's public timeline (request-service's kinds: routing-service's event types). */
    static final Map<String, String> STEPS = Map.ofEntries(
            Map.entry("submitted", "Received"),
            Map.entry("routed", "Sent to the department"),
            Map.entry("accepted", "Taken on"),
            Map.entry("updated", "Update"),
            Map.entry("put-on-hold", "On hold"),
            Map.entry("resumed", "Work resumed"),
            Map.entry("transferred", "Passed to another department"),
            Map.entry("resolved", "Resolved"),
            Map.entry("reopened", "Reopened"),
            Map.entry("closed", "Closed"),
            Map.entry("linked", "Joined to an earlier report"));

    /** feedback-service's statuses of a survey (its Survey#statusAt), as the staff member on the phone says them. */
    static final Map<String, String> SURVEY_STATUSES = Map.of(
            "pending_delivery", "Survey not sent yet",
            "sent", "Survey sent",
            "answered", "Survey answered",
            "expired", "Survey expired");

    /** How a survey reaches its customer (feedback-service's channels). */
    static final Map<String, String> SURVEY_CHANNELS = Map.of(
            "email", "by e-mail",
            "phone", "by phone",
            "internal", "to the staff who asked for it");

    /** routing-service's result of one item of a bulk assignment (its WorkController.BulkResult). */
    static final Map<String, String> ASSIGNMENT_RESULTS = Map.of(
            "assigned", "Done",
            "conflict", "Not changed: someone else changed it since you loaded the queue; reload and tick it again",
            "not-found", "Not found in the queue",
            "forbidden", "Not your department's");

    /** Why a department transfers a request (the contract's reasons), as the agent picks one. */
    static final Map<TransferReason, String> TRANSFER_REASONS = new EnumMap<>(Map.of(
            TransferReason.WRONG_SERVICE_CHOSEN_AT_INTAKE, "The wrong service was chosen when it was filed",
            TransferReason.WRONG_DEPARTMENT_IN_CATALOG, "The catalog sends this service to the wrong department",
            TransferReason.NEEDS_ANOTHER_DEPARTMENT_TOO, "Another department must act as well",
            TransferReason.OTHER, "Something else"));

    /** A transfer reason to choose from: its wire name and its words. */
    public record Choice(String code, String words) {
    }

    /** feedback-service's statuses of a staff idea (its IdeaStatus). */
    static final Map<String, String> IDEA_STATUSES = Map.of(
            "submitted", "Submitted",
            "under-review", "Under review",
            "accepted", "Accepted",
            "done", "Done",
            "declined", "Declined");

    public String ideaStatus(String code) {
        return named(IDEA_STATUSES, code);
    }

    public String followUpReason(String code) {
        return named(FOLLOW_UP_REASONS, code);
    }

    public String rootCause(String code) {
        return named(ROOT_CAUSES, code);
    }

    public String status(String code) {
        return named(STATUSES, code);
    }

    public String surveyStatus(String code) {
        return named(SURVEY_STATUSES, code);
    }

    public String surveyChannel(String code) {
        String known = code == null ? null : SURVEY_CHANNELS.get(code);
        return known != null ? known : readable(code).toLowerCase(Locale.ROOT);
    }

    public String assignmentResult(String code) {
        return named(ASSIGNMENT_RESULTS, code);
    }

    /** The transfer reasons in the contract's order, each in words (a reason added there shows its code in words). */
    public List<Choice> transferReasons() {
        return Arrays.stream(TransferReason.values()).map(reason -> new Choice(reason.wireName(),
                TRANSFER_REASONS.getOrDefault(reason, readable(reason.wireName())))).toList();
    }

    public String step(String kind) {
        return named(STEPS, kind);
    }

    private static String named(Map<String, String> words, String code) {
        String known = code == null ? null : words.get(code);
        return known != null ? known : readable(code);
    }

    /** Any other code (a goal's kind, a measure's name) as words: "ORIENTATION" as "Orientation", "reopen-rate" as "Reopen rate". */
    public String of(String code) {
        return readable(code == null ? null : code.toLowerCase(Locale.ROOT));
    }

    /** A code as words: "referred_outside" or "referred-outside" as "Referred outside"; null as "". */
    public static String readable(String code) {
        if (code == null || code.isBlank()) {
            return "";
        }
        String words = code.strip().replaceAll("[_-]+", " ").strip();
        if (words.isEmpty()) {
            return code.strip();
        }
        return words.substring(0, 1).toUpperCase(Locale.ROOT) + words.substring(1);
    }
}
