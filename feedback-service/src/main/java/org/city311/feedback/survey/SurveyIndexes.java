package org.city311.feedback.survey;

import java.time.Duration;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.city311.feedback.requests.KnownRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * The indexes behind link look-ups (unique: one survey per secret's hash), staff's lists, the sweeps and the
 * outbox. At start it also replaces the links that versions before hashing stored in plain by their hashes, so a
 * copy of the store opens no survey; and drops their index; and names the requester of invitations made before it
 * was kept.
 */
@Component
class SurveyIndexes {

    private static final Logger log = LoggerFactory.getLogger(SurveyIndexes.class);
    private static final String PLAIN_TOKEN = "token";

    SurveyIndexes(ReactiveMongoTemplate mongo) {
        var surveys = mongo.indexOps(Survey.class);
        var windows = mongo.indexOps(SurveyWindow.class);
        Long hashed = mongo.find(Query.query(Criteria.where(PLAIN_TOKEN).exists(true)), Document.class,
                        Survey.COLLECTION)
                .concatMap(stored -> mongo.updateFirst(Query.query(Criteria.where("_id").is(stored.get("_id"))),
                        new Update().set("tokenHash", SurveyTokens.hash(stored.getString(PLAIN_TOKEN)))
                                .unset(PLAIN_TOKEN), Survey.COLLECTION))
                .count()
                .block(Duration.ofMinutes(5));
        if (hashed != null && hashed > 0) {
            log.info("{} survey links stored in plain replaced by their hashes", hashed);
        }
        Long described = describeRequesters(mongo).block(Duration.ofMinutes(5));
        if (described != null && described > 0) {
            log.info("{} survey invitations made before their requester was kept now name it", described);
        }
        Flux.concat(
                // the index of plain links, if this store still has it: every document now lacks the field
                surveys.dropIndex("token_1").onErrorResume(notThere -> Mono.empty()),
                surveys.createIndex(new Index().on("tokenHash", Sort.Direction.ASC).unique()),
                surveys.createIndex(new Index().on("requestId", Sort.Direction.ASC)),
                // an agent's own surveys: their department's internal requests, and the requests they filed
                surveys.createIndex(new Index().on("requester.department", Sort.Direction.ASC)
                        .on("status", Sort.Direction.ASC).on("expiresAt", Sort.Direction.ASC)),
                surveys.createIndex(new Index().on("requester.filedBy", Sort.Direction.ASC)
                        .on("status", Sort.Direction.ASC).on("expiresAt", Sort.Direction.ASC)),
                surveys.createIndex(new Index().on("status", Sort.Direction.ASC).on("expiresAt", Sort.Direction.ASC)),
                windows.createIndex(new Index().on("status", Sort.Direction.ASC).on("endsAt", Sort.Direction.ASC)),
                windows.createIndex(new Index().on("outbox.0", Sort.Direction.ASC)))
                .then()
                .block(Duration.ofMinutes(1));
    }

    /**
     * Invitations made before the requester was kept get it from what is known of their request (a request known
     * from before {@code filedBy} was kept names its requesting department only). Each is done once: an invitation
     * whose request is not known gets an empty requester.
     */
    static Mono<Long> describeRequesters(ReactiveMongoTemplate mongo) {
        return mongo.find(Query.query(Criteria.where("requester").exists(false)), Survey.class)
                .concatMap(survey -> mongo.findById(survey.requestId(), KnownRequest.class)
                        .map(Survey.Requester::of).defaultIfEmpty(Survey.Requester.UNKNOWN)
                        .flatMap(requester -> mongo.updateFirst(Query.query(Criteria.where("_id").is(survey.id())
                                .and("requester").exists(false)), new Update().set("requester", requester),
                                Survey.class)))
                .count();
    }
}
