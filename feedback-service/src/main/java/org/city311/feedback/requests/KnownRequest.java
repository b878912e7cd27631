package org.city311.feedback.requests;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * What feedback-service knows of a request, from routing-service's events: which department answers for it,
 * and whether it was resolved.
 *
 * @param sequence the newest routing event applied; older ones are ignored
 */
@Document(KnownRequest.COLLECTION)
public record KnownRequest(
        @Id String id,
        String serviceCode,
        String department,
        String status,
        long sequence,
        Instant resolvedAt) {

    static final String COLLECTION = "requests";
}
