package org.city311.request;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.city311.request.ServiceRequest.StatusChange;
import org.city311.request.catalog.CatalogSnapshot;

/**
 * A request's timeline as the public may see it, on Open311 and on the public tracking page alike: a department's
 * internal notes and reasons (and every other internal entry: feedback, added callers) are never shown outside the
 * city, and the note of an acceptance, which names the staff member, names the department instead. Routing's words
 * for staff are put in a resident's: a routing names the department it went to, not the rule that chose it
 * ("Routed to transportation (rule: service-owner)" is "Sent to Department of Transportation"), a transfer names the
 * departments, a resolution without a note says its code in words. The stored notes stay as staff read them.
 */
public final class PublicTimeline {

    // The words request-service itself writes (status.RoutingEvents), old entries included; a linked duplicate's
    // steps carry them after "Follows <parent>: ".
    private static final Set<String> ROUTING_KINDS = Set.of("routed", "transferred", "resolved");
    private static final Pattern ROUTED = Pattern.compile("Routed to ([^\\s:()]+) \\(rule: [^)]*\\)");
    private static final Pattern TRANSFERRED = Pattern.compile("Transferred from ([^\\s:]+) to ([^\\s:]+)");
    private static final Pattern RESOLVED = Pattern.compile("Resolved \\(([^)\\s]+)\\)$");

    private PublicTimeline() {
    }

    /**
     * One public step.
     *
     * @param status the request's status after the step (a note that changed nothing keeps the one before)
     * @param note the step's words, without staff members' names
     */
    public record Step(StatusChange change, RequestStatus status, String note) {
    }

    /** The public steps, oldest first. */
    public static List<Step> of(ServiceRequest request, Optional<CatalogSnapshot> catalog) {
        if (request.history() == null) {
            return List.of();
        }
        List<StatusChange> all = request.history().stream()
                .sorted(Comparator.comparing(StatusChange::at, Comparator.nullsFirst(Comparator.naturalOrder())))
                .toList();
        List<Step> steps = new ArrayList<>();
        RequestStatus status = RequestStatus.SUBMITTED;
        for (StatusChange change : all) {
            status = change.status() != null ? change.status() : status;
            if (!change.internal()) {
                String note = "accepted".equals(change.kindOrStatus())
                        ? "Accepted by " + departmentName(change.department(), catalog)
                        : ROUTING_KINDS.contains(change.kindOrStatus()) ? publicWords(change.note(), catalog)
                        : change.note();
                steps.add(new Step(change, status, note));
            }
        }
        return steps;
    }

    /**
     * A routing step's note with routing's staff words put in a resident's (only the steps routing writes: what a
     * person wrote in a public note is theirs).
     */
    static String publicWords(String note, Optional<CatalogSnapshot> catalog) {
        if (note == null) {
            return null;
        }
        String words = replace(ROUTED, note, found -> "Sent to " + departmentName(found.group(1), catalog));
        words = replace(TRANSFERRED, words, found -> "Passed from " + departmentName(found.group(1), catalog)
                + " to " + departmentName(found.group(2), catalog));
        return replace(RESOLVED, words, found -> "Resolved: "
                + found.group(1).replaceAll("[_-]+", " ").toLowerCase(Locale.ROOT));
    }

    private static String replace(Pattern pattern, String text,
            Function<Matcher, String> replacement) {
        Matcher found = pattern.matcher(text);
        if (!found.find()) {
            return text;
        }
        return text.substring(0, found.start()) + replacement.apply(found) + text.substring(found.end());
    }

    /** A department's name from the catalog; its code when the catalog does not know it. */
    public static String departmentName(String department, Optional<CatalogSnapshot> catalog) {
        if (department == null) {
            return "the department";
        }
        return catalog.flatMap(known -> known.department(department)).map(CatalogSnapshot.Department::name)
                .orElse(department);
    }
}
