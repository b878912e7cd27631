package org.city311.metrics.servicelevel;

import java.time.Instant;
import java.util.Map;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One event's contribution to a counter, stored under a key that makes it count once: the event id, or for
 * once-per-request facts (created, first routing) the request id. The counters are the sum of these documents,
 * so they survive restarts and redeliveries alike.
 */
@Document(CountedEvent.COLLECTION)
record CountedEvent(@Id String id, String metric, Map<String, String> tags, String series, Instant at) {

    static final String COLLECTION = "counted";
}
