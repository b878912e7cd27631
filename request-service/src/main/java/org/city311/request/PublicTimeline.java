package org.city311.request;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.city311.request.ServiceRequest.StatusChange;
import org.city311.request.catalog.CatalogSnapshot;

/**
 * A request's timeline as the public may see it, on Open311 and on the public tracking page alike: a department's
 * internal notes and reasons (and every other internal entry: feedback, added callers) are never shown outside the
 * city, and the note of an acceptance, which names the staff member, names the department instead.
 */
public final class PublicTimeline {

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
                        ? "Accepted by " + departmentName(change.department(), catalog) : change.note();
                steps.add(new Step(change, status, note));
            }
        }
        return steps;
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
