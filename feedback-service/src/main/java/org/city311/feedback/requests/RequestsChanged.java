package org.city311.feedback.requests;

import java.util.List;

/**
 * The changes a batch of routing events made to requests, in the order of the events (so a request's changes come
 * in the order they happened). Published inside feedback-service, synchronously, on the consumer's thread, before
 * the batch's requests are written: a listener's failure has the whole batch delivered again, and its listeners
 * must be idempotent (the same change may come again, as may the change of an event whose request was written).
 */
public record RequestsChanged(List<RequestChange> changes) {

    public RequestsChanged {
        changes = List.copyOf(changes);
    }
}
