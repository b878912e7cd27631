package org.city311.routing.quiz;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.city311.routing.catalog.Catalog;
import org.city311.routing.catalog.ServiceCatalog;
import org.springframework.stereotype.Component;

/**
 * The share of right answers per department asked about, over the checks handed in within
 * {@code city311.quiz.window} (90 days): which departments nobody knows. Exposed as
 * {@code city311_knowledge_quiz_correct_ratio{department}} (and the answers it is counted from, as
 * {@code city311_knowledge_quiz_answers{department}}), for departments asked about at least once. Counted again from
 * the store every {@code city311.quiz.tally-every} (checks handed in to other instances, and old ones leaving the
 * window), and again as each check is handed in here (so that it shows at once). Only departments and counts: no
 * person.
 */
@Component
class QuizTally {

    static final String RATIO = "city311.knowledge.quiz.correct.ratio";
    static final String ANSWERS = "city311.knowledge.quiz.answers";
    private static final Logger log = LoggerFactory.getLogger(QuizTally.class);

    /** A department's answers in the window. */
    record Share(String department, String name, long answers, long right) {

        @com.fasterxml.jackson.annotation.JsonProperty("ratio")
        public double ratio() {
            return answers == 0 ? 0 : (double) right / answers;
        }
    }

    private final QuizStore store;
    private final ServiceCatalog catalog;
    private final Clock clock;
    private final QuizProperties properties;
    private final MultiGauge ratios;
    private final MultiGauge answers;
    /** By department: answers, right answers. Replaced whole, under this object's lock. */
    private Map<String, long[]> counted = Map.of();
    /** Each count takes a ticket as it starts; {@code applied} is the ticket of the count in {@link #counted}. */
    private final java.util.concurrent.atomic.AtomicLong tickets = new java.util.concurrent.atomic.AtomicLong();
    private long applied;
    private final Disposable ticks;

    QuizTally(QuizStore store, ServiceCatalog catalog, Clock clock, QuizProperties properties, MeterRegistry meters) {
        this.store = store;
        this.catalog = catalog;
        this.clock = clock;
        this.properties = properties;
        this.ratios = MultiGauge.builder(RATIO).description("Share of right answers to knowledge-check questions "
                + "about the department's services, over the checks handed in within the window (90 days)")
                .register(meters);
        this.answers = MultiGauge.builder(ANSWERS).description("Answers to knowledge-check questions about the "
                + "department's services that the correct ratio is counted from").register(meters);
        this.ticks = Flux.interval(java.time.Duration.ZERO, properties.tallyEvery()).onBackpressureDrop()
                .concatMap(tick -> recount().onErrorResume(failed -> {
                    log.warn("Could not count the knowledge checks' answers ({}); trying again in {}",
                            failed.toString(), properties.tallyEvery());
                    return Mono.empty();
                }), 1)
                .subscribe();
    }

    @PreDestroy
    void stop() {
        ticks.dispose();
    }

    /**
     * Counts every check handed in within the window, from the store. Of two counts that overlap, the one started
     * last is kept, whichever ends first: it read everything the other did.
     */
    Mono<Void> recount() {
        return Mono.defer(() -> {
            long ticket = tickets.incrementAndGet();
            return store.marksSince(clock.instant().minus(properties.window()))
                    .reduceWith(HashMap<String, long[]>::new, (tally, marks) -> {
                        add(tally, marks);
                        return tally;
                    })
                    .doOnNext(tally -> {
                        synchronized (this) {
                            if (ticket > applied) {
                                applied = ticket;
                                counted = tally;
                                expose();
                            }
                        }
                    })
                    .then();
        });
    }

    /** Every department asked about in the window, the least known first. */
    synchronized List<Share> shares() {
        Catalog current = catalog.current();
        List<Share> shares = new ArrayList<>();
        counted.forEach((department, counts) -> shares.add(new Share(department,
                current.department(department).map(Catalog.Department::name).orElse(department), counts[0],
                counts[1])));
        shares.sort(Comparator.comparingDouble(Share::ratio).thenComparing(Share::department));
        return shares;
    }

    private static void add(Map<String, long[]> tally, List<Quiz.Mark> marks) {
        for (Quiz.Mark mark : marks) {
            long[] counts = tally.computeIfAbsent(mark.department(), department -> new long[2]);
            counts[0]++;
            counts[1] += mark.right() ? 1 : 0;
        }
    }

    private void expose() {
        List<MultiGauge.Row<?>> ratioRows = new ArrayList<>();
        List<MultiGauge.Row<?>> answerRows = new ArrayList<>();
        counted.forEach((department, counts) -> {
            double ratio = (double) counts[1] / counts[0];
            long asked = counts[0];
            ratioRows.add(MultiGauge.Row.of(Tags.of("department", department), ratio));
            answerRows.add(MultiGauge.Row.of(Tags.of("department", department), asked));
        });
        ratios.register(ratioRows, true);
        answers.register(answerRows, true);
    }
}
