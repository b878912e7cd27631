package org.city311.routing.work;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a department's piece of work stands; the same words request-service shows. */
enum WorkStatus {
    ROUTED, IN_PROGRESS, ON_HOLD, RESOLVED, REOPENED, CLOSED;

    /** Work still waiting for the department: its queue. */
    static final Set<WorkStatus> OPEN = EnumSet.of(ROUTED, IN_PROGRESS, ON_HOLD, REOPENED);

    @JsonValue
    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
