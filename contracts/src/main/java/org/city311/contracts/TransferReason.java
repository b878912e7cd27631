package org.city311.contracts;

import java.util.Optional;

/**
 * Why a department transfers a request, from a short fixed list ({@code reasonCode} of the transferred event's
 * schema), so that the runaround can be counted where it starts; the free-text reason says the rest. Code names a
 * reason from here, never as a literal: routing-service checks the transfer body against it, metrics-service counts
 * by it, the console offers it.
 */
public enum TransferReason {

    /** The filer chose the wrong service: misrouted at intake. */
    WRONG_SERVICE_CHOSEN_AT_INTAKE("wrong-service-chosen-at-intake"),
    /** The catalog sends this service to the wrong department (its wording, or its routing rule). */
    WRONG_DEPARTMENT_IN_CATALOG("wrong-department-in-catalog"),
    /** Right here, but another department must act as well. */
    NEEDS_ANOTHER_DEPARTMENT_TOO("needs-another-department-too"),
    OTHER("other");

    /** The wire names as a pattern, for a request body's check (an annotation needs a constant). */
    public static final String WIRE_NAMES =
            "wrong-service-chosen-at-intake|wrong-department-in-catalog|needs-another-department-too|other";
    /** The wire names listed, for an error message. */
    public static final String LISTED =
            "wrong-service-chosen-at-intake, wrong-department-in-catalog, needs-another-department-too, other";

    private final String wireName;

    TransferReason(String wireName) {
        this.wireName = wireName;
    }

    /** As the transfer body, the transferred event and the misrouting counter's {@code reason} label spell it. */
    public String wireName() {
        return wireName;
    }

    /** The reason spelled so, or empty for an unknown one (and for null). */
    public static Optional<TransferReason> of(String wireName) {
        for (TransferReason reason : values()) {
            if (reason.wireName.equals(wireName)) {
                return Optional.of(reason);
            }
        }
        return Optional.empty();
    }

    /** How a transfer is counted: by its reason; one that gave none (or one this code does not know) as other. */
    public static TransferReason counted(String wireName) {
        return of(wireName).orElse(OTHER);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
