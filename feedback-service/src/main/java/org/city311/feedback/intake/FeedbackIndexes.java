package org.city311.feedback.intake;

import java.time.Duration;

import reactor.core.publisher.Flux;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.stereotype.Component;

/** The indexes behind follow-up lists and look-ups, the overdue sweep and the outbox relay. */
@Component
class FeedbackIndexes {

    FeedbackIndexes(ReactiveMongoTemplate mongo) {
        var feedback = mongo.indexOps(Feedback.class);
        Flux.concat(
                feedback.createIndex(new Index().on("requestId", Sort.Direction.ASC)),
                feedback.createIndex(new Index().on("followUp.id", Sort.Direction.ASC)),
                feedback.createIndex(new Index().on("department", Sort.Direction.ASC)
                        .on("followUp.status", Sort.Direction.ASC)),
                feedback.createIndex(new Index().on("followUp.status", Sort.Direction.ASC)
                        .on("followUp.dueAt", Sort.Direction.ASC)),
                feedback.createIndex(new Index().on("outbox.0", Sort.Direction.ASC)))
                .then()
                .block(Duration.ofMinutes(1));
    }
}
