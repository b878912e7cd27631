package org.city311.contracts;

import java.util.List;

/**
 * The Kafka topics events travel on: the addresses of the AsyncAPI document's channels, each with one writer. Code
 * names a topic from here, never as a literal, so that a renamed channel fails the build where it is used.
 */
public final class Topics {

    /** Requests as they are taken in and linked, and Open311 clients' updates. Written by request-service. */
    public static final String REQUESTS = "city311.requests";
    /** What departments do with a request, from routing to closing. Written by routing-service. */
    public static final String ROUTING = "city311.routing";
    /** What residents and auditors said, survey expiries, follow-ups. Written by feedback-service. */
    public static final String FEEDBACK = "city311.feedback";
    /** The service catalog as published. Written by routing-service. */
    public static final String CATALOG = "city311.catalog";

    private Topics() {
    }

    public static List<String> all() {
        return List.of(REQUESTS, ROUTING, FEEDBACK, CATALOG);
    }
}
