package org.city311.feedback.ideas;

import java.util.List;
import java.util.Optional;

/**
 * Where an idea stands, and where a review may take it: submitted → under review → accepted → done, and declined
 * (with a reason) from any step before done. Accepted and done ideas are put into practice: listed with their
 * authors, counted as acted on. Pure: no store, no HTTP.
 */
enum IdeaStatus {

    SUBMITTED("submitted"), UNDER_REVIEW("under-review"), ACCEPTED("accepted"), DONE("done"), DECLINED("declined");

    private final String wire;

    IdeaStatus(String wire) {
        this.wire = wire;
    }

    String wire() {
        return wire;
    }

    static Optional<IdeaStatus> of(String wire) {
        for (IdeaStatus status : values()) {
            if (status.wire.equals(wire)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }

    /** Accepted or done: what the department acted on. */
    boolean actedOn() {
        return this == ACCEPTED || this == DONE;
    }

    /** Where a review may move an idea from here, in the order of its life. */
    List<IdeaStatus> next() {
        return switch (this) {
            case SUBMITTED -> List.of(UNDER_REVIEW, ACCEPTED, DECLINED);
            case UNDER_REVIEW -> List.of(ACCEPTED, DECLINED);
            case ACCEPTED -> List.of(DONE, DECLINED);
            case DONE, DECLINED -> List.of();
        };
    }

    /** Why a review may not move an idea from here to {@code next} with this note; empty if it may. */
    Optional<String> refusal(IdeaStatus next, String note) {
        if (!next().contains(next)) {
            return Optional.of(next().isEmpty() ? "This idea is " + wire + ": its review is over."
                    : "An idea that is " + wire + " goes on to " + String.join(" or ",
                            next().stream().map(IdeaStatus::wire).toList()) + ", not " + next.wire + ".");
        }
        if (next == DECLINED && (note == null || note.isBlank())) {
            return Optional.of("Say why it is declined: its author reads the reason.");
        }
        return Optional.empty();
    }
}
