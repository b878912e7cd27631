package org.city311.feedback.requests;

/**
 * What a routing event applied to a request means for the rest of the service: it was resolved
 * ({@link RequestResolved}), or it moved on from a resolution ({@link RequestMovedOn}).
 */
public sealed interface RequestChange permits RequestResolved, RequestMovedOn {

    String requestId();

    /** The sequence of the routing event. */
    long sequence();
}
