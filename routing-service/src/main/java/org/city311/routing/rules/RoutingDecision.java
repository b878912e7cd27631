package org.city311.routing.rules;

/**
 * Where a request goes, and why: the rule is published with the routed event so every decision can be explained.
 */
public record RoutingDecision(String department, String rule) {

    public static final String BY_SERVICE_CODE = "service-code";
    public static final String FALLBACK = "fallback-triage";
}
