package org.city311.feedback.survey;

import java.time.Duration;

import reactor.core.publisher.Flux;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.stereotype.Component;

/** The indexes behind token look-ups (unique: one survey per secret), staff's lists, the sweeps and the outbox. */
@Component
class SurveyIndexes {

    SurveyIndexes(ReactiveMongoTemplate mongo) {
        var surveys = mongo.indexOps(Survey.class);
        var windows = mongo.indexOps(SurveyWindow.class);
        Flux.concat(
                surveys.createIndex(new Index().on("token", Sort.Direction.ASC).unique()),
                surveys.createIndex(new Index().on("requestId", Sort.Direction.ASC)),
                surveys.createIndex(new Index().on("status", Sort.Direction.ASC).on("expiresAt", Sort.Direction.ASC)),
                windows.createIndex(new Index().on("status", Sort.Direction.ASC).on("endsAt", Sort.Direction.ASC)),
                windows.createIndex(new Index().on("outbox.0", Sort.Direction.ASC)))
                .then()
                .block(Duration.ofMinutes(1));
    }
}
