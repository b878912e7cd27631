package org.city311.request.intake;

import org.bson.Document;
import reactor.core.publisher.Mono;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Request numbers a resident can read out on the phone ("311-00000042"), unique across every instance: each
 * instance takes a block of numbers with one atomic increment of the counter document and hands them out in order,
 * so that a filing costs a store round trip for its number only once a block. Numbers stay unique and increase on
 * each instance; across instances they interleave, and the rest of a block is skipped when an instance stops (as a
 * numbering with gaps, which residents never notice, in exchange for one write less per request).
 */
@Component
class RequestIds {

    private static final String COLLECTION = "counters";

    private final ReactiveMongoTemplate mongo;
    private final int block;
    /** Added to the counter: the counter's n-th number is {@code first - 1 + n}. */
    private final long offset;
    private final Object lock = new Object();
    /** The next number to hand out and the last of the block taken; none left when next > last. */
    private long next = 1;
    private long last = 0;
    /** The block being taken, shared by every filing that waits for it. */
    private Mono<Long> taking;

    RequestIds(ReactiveMongoTemplate mongo, NumberProperties properties) {
        this.mongo = mongo;
        this.block = properties.block();
        this.offset = properties.first() - 1;
    }

    /**
     * @param block how many request numbers an instance takes at once (1: every filing increments the counter)
     * @param first the first request number: a city that numbered its requests in an earlier system starts after its
     *        last one, so that no number means two requests (set it before the first filing: it shifts every number)
     */
    @ConfigurationProperties("city311.request-numbers")
    record NumberProperties(@DefaultValue("20") int block, @DefaultValue("1") long first) {

        /** The highest first number: eight digits (a city reaching a hundred million requests gets nine). */
        static final long LARGEST = 99_999_999L;

        NumberProperties {
            if (block < 1) {
                throw new IllegalArgumentException("city311.request-numbers.block must be at least 1");
            }
            if (first < 1 || first > LARGEST) {
                throw new IllegalArgumentException("city311.request-numbers.first must be between 1 and " + LARGEST);
            }
        }
    }

    Mono<String> next() {
        return Mono.defer(() -> {
            Mono<Long> waitFor;
            synchronized (lock) {
                if (next <= last) {
                    return Mono.just(format(offset + next++));
                }
                if (taking == null) {
                    taking = takeBlock().doOnNext(end -> {
                        synchronized (lock) {
                            next = end - block + 1;
                            last = end;
                            taking = null;
                        }
                    }).doOnError(error -> {
                        synchronized (lock) {
                            taking = null;
                        }
                    }).cache();
                }
                waitFor = taking;
            }
            // Once the block is in, take a number from it (or wait for the next block, should others empty it).
            return waitFor.then(Mono.defer(this::next));
        });
    }

    /** The last number of the block taken. */
    private Mono<Long> takeBlock() {
        return mongo.findAndModify(Query.query(Criteria.where("_id").is("requests")),
                        new Update().inc("value", (long) block),
                        FindAndModifyOptions.options().upsert(true).returnNew(true), Document.class, COLLECTION)
                .map(counter -> ((Number) counter.get("value")).longValue());
    }

    private static String format(long number) {
        return "311-%08d".formatted(number);
    }
}
