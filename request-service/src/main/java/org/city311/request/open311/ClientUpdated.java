package org.city311.request.open311;

import java.time.Instant;

import org.city311.contracts.EventContract;

/**
 * An Open311 client's update, published as {@value #TYPE} on {@code city311.requests} in the same write that puts its text on
 * the request's timeline. routing-service decides what its status means: from a trusted integration, FIXED or CLOSED
 * resolves the request; from any other client it is the customer saying it is fixed.
 *
 * @param updateId the client's own update_id
 * @param client the client application's name
 * @param trusted whether its key was a trusted integration when it posted
 * @param status the Open311 status it sent, upper case (OPEN, FIXED, CLOSED, ...)
 * @param description its text
 * @param updatedAt when it was recorded here
 */
record ClientUpdated(String requestId, String updateId, String client, boolean trusted, String status,
        String description, Instant updatedAt) {

    static final String TYPE = EventContract.REQUEST_CLIENT_UPDATED;
    /** request-service's own topic, where its request-created events go too (one writer per topic). */
}
