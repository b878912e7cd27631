package org.city311.feedback.ideas;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/** The one writer and reader of {@code ideas}. */
@Component
class IdeaStore {

    /** A person's ideas, newest first. */
    static final Index BY_AUTHOR = new Index().on("author", Sort.Direction.ASC).on("submittedAt", Sort.Direction.DESC);
    /** A department's ideas, newest first; the summary per department since a time. */
    static final Index BY_DEPARTMENT = new Index().on("department", Sort.Direction.ASC)
            .on("submittedAt", Sort.Direction.DESC);
    /** The ideas put into practice, most recently moved first. */
    static final Index BY_STATUS = new Index().on("status", Sort.Direction.ASC).on("updatedAt", Sort.Direction.DESC);
    /** The most ideas a list gives. */
    static final int LIST = 200;

    private final ReactiveMongoTemplate mongo;

    IdeaStore(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
        var ideas = mongo.indexOps(Idea.COLLECTION);
        Flux.concat(ideas.createIndex(BY_AUTHOR), ideas.createIndex(BY_DEPARTMENT), ideas.createIndex(BY_STATUS))
                .then().block(Duration.ofMinutes(1));
    }

    Mono<Idea> insert(Idea idea) {
        return mongo.insert(idea, Idea.COLLECTION);
    }

    Mono<Idea> find(String id) {
        return mongo.findById(id, Idea.class, Idea.COLLECTION);
    }

    /** Stores the review unless someone reviewed it since {@code reviewed.version() - 1}: then empty. */
    Mono<Idea> review(Idea reviewed) {
        Query unchanged = Query.query(Criteria.where("_id").is(reviewed.id()).and("version")
                .is(reviewed.version() - 1));
        Update update = new Update().set("status", reviewed.status()).set("steps", reviewed.steps())
                .set("updatedAt", reviewed.updatedAt()).set("version", reviewed.version());
        return mongo.findAndModify(unchanged, update, FindAndModifyOptions.options().returnNew(true), Idea.class,
                Idea.COLLECTION);
    }

    Flux<Idea> byAuthor(String author) {
        return mongo.find(Query.query(Criteria.where("author").is(author))
                .with(Sort.by(Sort.Direction.DESC, "submittedAt")).limit(LIST), Idea.class, Idea.COLLECTION);
    }

    Flux<Idea> byDepartment(String department) {
        return mongo.find(Query.query(Criteria.where("department").is(department))
                .with(Sort.by(Sort.Direction.DESC, "submittedAt")).limit(LIST), Idea.class, Idea.COLLECTION);
    }

    Flux<Idea> withStatus(List<String> statuses) {
        return mongo.find(Query.query(Criteria.where("status").in(statuses))
                .with(Sort.by(Sort.Direction.DESC, "updatedAt")).limit(LIST), Idea.class, Idea.COLLECTION);
    }

    /** Where an idea stands, for the summary per department. */
    record Standing(String department, String status) {
    }

    /** Department and status of every idea submitted since a time. */
    Flux<Standing> submittedSince(Instant since) {
        Query query = Query.query(Criteria.where("submittedAt").gte(since));
        query.fields().include("department", "status");
        return mongo.find(query, org.bson.Document.class, Idea.COLLECTION)
                .map(found -> new Standing(found.getString("department"), found.getString("status")));
    }

    /** The author has looked at their ideas: every step so far is no longer news. */
    Mono<Long> seen(String author, Instant at) {
        return mongo.updateMulti(Query.query(Criteria.where("author").is(author)),
                new Update().set("authorSeenAt", at), Idea.COLLECTION)
                .map(result -> result.getModifiedCount());
    }
}
