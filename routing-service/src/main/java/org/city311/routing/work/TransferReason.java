package org.city311.routing.work;

/**
 * Why a department transfers a request, from a short fixed list, so that the runaround can be counted where it
 * starts (the free-text reason says the rest). A transfer that names none counts as {@link #OTHER}.
 */
enum TransferReason {

    /** The filer chose the wrong service: misrouted at intake. */
    WRONG_SERVICE_CHOSEN_AT_INTAKE,
    /** The catalog sends this service to the wrong department (its wording, or its routing rule). */
    WRONG_DEPARTMENT_IN_CATALOG,
    /** Right here, but another department must act as well. */
    NEEDS_ANOTHER_DEPARTMENT_TOO,
    OTHER;

    /** The wire names, as a pattern for the transfer body's check. */
    static final String WIRE_NAMES =
            "wrong-service-chosen-at-intake|wrong-department-in-catalog|needs-another-department-too|other";
    /** The wire names, listed for an error message. */
    static final String LISTED =
            "wrong-service-chosen-at-intake, wrong-department-in-catalog, needs-another-department-too, other";

    String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The reason of a wire name, {@link #OTHER} when none is given (the body's check refuses any other name). */
    static TransferReason fromWire(String wireName) {
        if (wireName == null || wireName.isBlank()) {
            return OTHER;
        }
        for (TransferReason reason : values()) {
            if (reason.wireName().equals(wireName)) {
                return reason;
            }
        }
        throw new IllegalArgumentException("no transfer reason " + wireName);
    }
}
