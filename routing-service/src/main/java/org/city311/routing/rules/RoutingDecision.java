package org.city311.routing.rules;

/**
 * Where a request goes, and why: the rule is published with the routed event so every decision can be explained.
 *
 * @param rule which rule matched, as a stable text: {@code service-code}, {@code district:brooklyn},
 *        {@code attribute:noise-type=construction}, {@code keyword:rats}, {@code service-owner} or
 *        {@code fallback-triage}
 * @param district the district the request's location lies in, whatever rule matched; null for a request without
 *        a location or outside every district
 */
public record RoutingDecision(String department, String rule, String district) {

    /** A {@code service-code} rule of the catalog reassigned the whole service. */
    public static final String BY_SERVICE_CODE = "service-code";
    /** No rule matched: the department that provides the service, as the catalog lists it. */
    public static final String SERVICE_OWNER = "service-owner";
    /** An unknown service, or an {@code other} request whose words no keyword rule knows: routed by hand. */
    public static final String FALLBACK = "fallback-triage";

    static String byDistrict(String district) {
        return "district:" + district;
    }

    static String byAttribute(String attribute, String value) {
        return "attribute:" + attribute + "=" + value;
    }

    static String byKeyword(String keyword) {
        return "keyword:" + keyword;
    }
}
