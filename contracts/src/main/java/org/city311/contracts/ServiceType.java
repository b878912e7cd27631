package org.city311.contracts;

import java.util.Optional;

/**
 * Open311's service type ({@code services[].type} in the catalog event's schema): a realtime service's requests are
 * handled one by one, a batch service's together. Code names a type from here, never as a literal.
 */
public enum ServiceType {

    REALTIME("realtime"), BATCH("batch");

    private final String wireName;

    ServiceType(String wireName) {
        this.wireName = wireName;
    }

    /** As the catalog file, the catalog event and Open311 spell it. */
    public String wireName() {
        return wireName;
    }

    /** The type spelled so, or empty for an unknown one (and for null). */
    public static Optional<ServiceType> of(String wireName) {
        for (ServiceType type : values()) {
            if (type.wireName.equals(wireName)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
