package org.city311.request.intake;

import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Component;

/** The writer of the {@code idempotency_keys} collection: a key is claimed once, by its first insert. */
@Component
class IdempotencyKeys {

    private final ReactiveMongoTemplate mongo;

    IdempotencyKeys(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** Claims the key for its request; fails with a duplicate key when someone claimed it first. */
    Mono<IdempotencyKey> claim(IdempotencyKey key) {
        return mongo.insert(key);
    }

    Mono<IdempotencyKey> find(String scopedKey) {
        return mongo.findById(scopedKey, IdempotencyKey.class);
    }
}
