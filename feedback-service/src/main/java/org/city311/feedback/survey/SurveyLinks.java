package org.city311.feedback.survey;

import java.time.Clock;
import java.time.Instant;

import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import org.city311.platform.web.Problems;

/**
 * Issues survey links. Each issue is a fresh secret whose hash replaces the stored one in the same write, so the
 * link given before stops working at that moment: whoever held it (an old e-mail, a note from a phone call) can no
 * longer answer as the customer.
 */
@Component
class SurveyLinks {

    private final ReactiveMongoTemplate mongo;
    private final SurveyProperties properties;
    private final Clock clock;

    SurveyLinks(ReactiveMongoTemplate mongo, SurveyProperties properties, Clock clock) {
        this.mongo = mongo;
        this.properties = properties;
        this.clock = clock;
    }

    /** A link just issued, and the survey as the issuing write left it. */
    record Issued(Survey survey, String url) {
    }

    /** The update that issues a fresh secret, to go with another update of the same survey; and its link. */
    Secret fresh() {
        String token = SurveyTokens.generate();
        String hash = SurveyTokens.hash(token);
        return new Secret(new Update().set("tokenHash", hash), properties.baseUrl() + "/surveys/" + token, hash);
    }

    /** The write that issues a link's secret (its hash), the link to hand over, and the hash the survey then holds. */
    record Secret(Update update, String url, String hash) {
    }

    /**
     * A fresh link for a survey that can still be answered, for staff to run it: from then on it is theirs, and no
     * e-mail goes out with a link of its own (which would revoke theirs). 404 unknown, 409 answered, 410 closed.
     */
    Mono<Issued> reissue(String surveyId) {
        Instant now = clock.instant();
        Secret secret = fresh();
        Update takenOver = secret.update().max("deliveryAttempts", 1).unset("retryAt");
        return mongo.findAndModify(Query.query(Criteria.where("_id").is(surveyId).and("status").in(Survey.OPEN)
                                .and("expiresAt").gt(now)), takenOver,
                        FindAndModifyOptions.options().returnNew(true), Survey.class)
                .map(survey -> new Issued(survey, secret.url()))
                .switchIfEmpty(Mono.defer(() -> mongo.findById(surveyId, Survey.class)
                        .switchIfEmpty(Mono.error(() -> Problems.notFound("No survey " + surveyId + ".")))
                        .flatMap(survey -> Mono.error(Survey.ANSWERED.equals(survey.status())
                                ? Problems.conflict("This survey has already been answered.")
                                : Problems.of(HttpStatus.GONE, "Survey closed", "This survey closed on "
                                        + survey.expiresAt() + "; answers are no longer taken.")))));
    }
}
