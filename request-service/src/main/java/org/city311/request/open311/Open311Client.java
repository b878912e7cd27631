package org.city311.request.open311;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A client application allowed to post: only the SHA-256 of its api_key is kept, so a copy of the store does not
 * give anyone a key.
 *
 * @param keyHash SHA-256 of the api_key, lower-case hex
 * @param clientId the first 12 hex digits of the hash: how staff name the key without seeing it
 * @param name the application, e.g. "FixMyStreet"; several keys may share one (a new key before the old is revoked)
 * @param revokedAt set once revoked; a revoked key is refused from then on
 * @param trustedIntegration set by an admin for a system the city itself runs (FixMyStreet used by its own staff):
 *        it may post updates to any request, not only to those it filed; absent (keys issued before) is false
 */
@Document(Open311Client.COLLECTION)
record Open311Client(@Id String keyHash, String clientId, String name, Instant createdAt, Instant revokedAt,
        Boolean trustedIntegration) {

    static final String COLLECTION = "open311_clients";

    boolean revoked() {
        return revokedAt != null;
    }

    boolean trusted() {
        return Boolean.TRUE.equals(trustedIntegration);
    }

    /** Who the client is on a request's timeline and as its filer ({@code filedBy}): {@code open311:<name>}. */
    String actor() {
        return "open311:" + name;
    }
}
