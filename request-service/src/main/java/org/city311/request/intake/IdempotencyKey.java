package org.city311.request.intake;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A client's Idempotency-Key, scoped to who filed, with the request id reserved for it before the request is
 * written: a retry, or a first attempt that stopped half-way, ends with exactly one request.
 */
@Document("idempotency_keys")
record IdempotencyKey(@Id String id, String requestId, String fingerprint, Instant createdAt) {
}
