package org.city311.feedback.ideas;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A staff member's idea to improve a service, as stored in {@code ideas}, with every step of its review.
 *
 * @param department the department it concerns, whose supervisors review it
 * @param serviceCode the service it concerns, if one
 * @param author the submitter's id (the token's subject); {@code authorName} how to credit them
 * @param status one of {@link IdeaStatus}'s wire names
 * @param steps every status it went through, the first being its submission
 * @param authorSeenAt when its author last looked at their ideas: a step after it is news to them
 * @param version raised by every review: a review of a version someone else reviewed meanwhile is refused
 */
@Document(Idea.COLLECTION)
record Idea(@Id String id, String title, String change, String department, String serviceCode, String author,
        String authorName, Instant submittedAt, String status, List<Step> steps, Instant updatedAt,
        Instant authorSeenAt, long version) {

    static final String COLLECTION = "ideas";

    Idea {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    /**
     * @param by who moved it there (the author for the submission); {@code byName} how to show them
     * @param note why (a decline's reason), or what happens next; may be null
     */
    record Step(String status, Instant at, String by, String byName, String note) {
    }

    static Idea submitted(String id, String title, String change, String department, String serviceCode,
            String author, String authorName, Instant at) {
        return new Idea(id, title, change, department, serviceCode, author, authorName, at,
                IdeaStatus.SUBMITTED.wire(), List.of(new Step(IdeaStatus.SUBMITTED.wire(), at, author, authorName, null)),
                at, at, 0);
    }

    /** The idea moved on: a new step, a new status, the next version. */
    Idea reviewed(IdeaStatus next, Instant at, String by, String byName, String note) {
        List<Step> moved = new ArrayList<>(steps);
        moved.add(new Step(next.wire(), at, by, byName, note));
        return new Idea(id, title, change, department, serviceCode, author, authorName, submittedAt, next.wire(),
                moved, at, authorSeenAt, version + 1);
    }

    /** Whether its author has a step they have not seen. */
    boolean newsForAuthor() {
        return authorSeenAt == null || updatedAt.isAfter(authorSeenAt);
    }
}
