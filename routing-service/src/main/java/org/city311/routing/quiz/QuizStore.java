package org.city311.routing.quiz;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/** The one writer and reader of {@code quizzes}. */
@Component
class QuizStore {

    /** A person's checks, newest first: their history and their last check. */
    static final Index BY_PERSON = new Index().on("person", Sort.Direction.ASC).on("submittedAt", Sort.Direction.DESC);
    /** A team's checks since a time: the supervisor's page. */
    static final Index BY_TEAM = new Index().on("team", Sort.Direction.ASC).on("submittedAt", Sort.Direction.DESC);
    /** The checks handed in since a time: the shares per department. */
    static final Index BY_TIME = new Index().on("submittedAt", Sort.Direction.ASC);
    /** The most checks a person's history lists. */
    static final int HISTORY = 50;

    private final ReactiveMongoTemplate mongo;

    QuizStore(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
        var quizzes = mongo.indexOps(Quiz.COLLECTION);
        Flux.concat(quizzes.createIndex(BY_PERSON), quizzes.createIndex(BY_TEAM), quizzes.createIndex(BY_TIME))
                .then().block(Duration.ofMinutes(1));
    }

    /** A check handed in, in brief. */
    record Check(String id, String person, String name, Instant submittedAt, int correct, int total) {
    }

    Mono<Quiz> insert(Quiz quiz) {
        return mongo.insert(quiz, Quiz.COLLECTION);
    }

    /**
     * Removes the checks its taker started before this one and did not hand in: a new check replaces the one they
     * left, so that unfinished checks never pile up (about one a person, found through {@link #BY_PERSON}). Of two
     * started in the same millisecond, the one with the greater id counts as the later, so both starts agree.
     */
    Mono<Long> removeUnfinishedBefore(Quiz started) {
        Criteria before = new Criteria().orOperator(Criteria.where("startedAt").lt(started.startedAt()),
                Criteria.where("startedAt").is(started.startedAt()).and("_id").lt(started.id()));
        return mongo.remove(Query.query(Criteria.where("person").is(started.person()).and("submittedAt").is(null)
                .andOperator(before)), Quiz.COLLECTION).map(removed -> removed.getDeletedCount());
    }

    Mono<Quiz> find(String id) {
        return mongo.findById(id, Quiz.class, Quiz.COLLECTION);
    }

    /** Stores the answers and marks, unless the check was handed in meanwhile: then false, and nothing changed. */
    Mono<Boolean> handIn(Quiz handedIn) {
        Query notYet = Query.query(Criteria.where("_id").is(handedIn.id()).and("submittedAt").is(null));
        Update update = new Update().set("submittedAt", handedIn.submittedAt()).set("answers", handedIn.answers())
                .set("correct", handedIn.correct()).set("marks", handedIn.marks());
        return mongo.updateFirst(notYet, update, Quiz.COLLECTION).map(result -> result.getModifiedCount() == 1);
    }

    /** A person's checks handed in, newest first (at most {@value #HISTORY}). */
    Flux<Check> history(String person) {
        Query query = Query.query(Criteria.where("person").is(person).and("submittedAt").ne(null))
                .with(Sort.by(Sort.Direction.DESC, "submittedAt")).limit(HISTORY);
        return checks(query);
    }

    /** The checks a team handed in since a time. */
    Flux<Check> team(String team, Instant since) {
        return checks(Query.query(Criteria.where("team").is(team).and("submittedAt").gte(since)));
    }

    /** The marks of every check handed in since a time. */
    Flux<List<Quiz.Mark>> marksSince(Instant since) {
        Query query = Query.query(Criteria.where("submittedAt").gte(since));
        query.fields().include("marks");
        return mongo.find(query, org.bson.Document.class, Quiz.COLLECTION)
                .map(found -> found.getList("marks", org.bson.Document.class, List.of()).stream()
                        .map(mark -> new Quiz.Mark(mark.getString("department"), mark.getBoolean("right", false)))
                        .toList());
    }

    private Flux<Check> checks(Query query) {
        query.fields().include("person", "name", "submittedAt", "correct", "total");
        return mongo.find(query, org.bson.Document.class, Quiz.COLLECTION)
                .map(found -> new Check(found.getString("_id"), found.getString("person"), found.getString("name"),
                        found.getDate("submittedAt").toInstant(), found.getInteger("correct", 0),
                        found.getInteger("total", 0)));
    }
}
