package org.city311.request;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a request stands, as staff and residents see it (lower-case words on every API). */
public enum RequestStatus {
    SUBMITTED, ROUTED, IN_PROGRESS, ON_HOLD, RESOLVED, REOPENED, CLOSED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
