package org.city311.routing.rules;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the rules look at in a new request.
 *
 * @param description the resident's words, read by keyword rules for the {@code other} service; may be null
 * @param attributes the answers to the service's questions by attribute code: a value key (text) or, for a
 *        multi-value list, a list of keys
 * @param latitude WGS 84, with {@code longitude}; both null when the request has no location
 */
public record RoutingInput(String serviceCode, String description, Map<String, Object> attributes, Double latitude,
        Double longitude) {

    public RoutingInput {
        attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** A request that only names its service. */
    public static RoutingInput of(String serviceCode) {
        return new RoutingInput(serviceCode, null, null, null, null);
    }

    boolean hasLocation() {
        return latitude != null && longitude != null;
    }
}
