package org.city311.request.duplicates;

import java.time.Instant;

import org.city311.contracts.EventContract;

/**
 * A request was linked as a duplicate of another, open one: published as {@value #TYPE} on the requests topic, so
 * that routing-service takes it out of its department's open work and metrics-service stops counting it as open.
 *
 * @param parentRequestId the request it duplicates
 */
record RequestLinked(String requestId, String parentRequestId, Instant linkedAt) {

    static final String TYPE = EventContract.REQUEST_LINKED;
}
