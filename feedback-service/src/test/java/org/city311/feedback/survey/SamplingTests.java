package org.city311.feedback.survey;

import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SamplingTests {

    @Test
    void shouldSurveyEveryRequestOfAServiceWithoutARate() {
        Sampling sampling = new Sampling(Map.of("pothole", 0.1));

        assertThat(IntStream.range(0, 1000).mapToObj(i -> "311-" + i))
                .allMatch(id -> sampling.sampled("streetlight-out", id));
    }

    @Test
    void shouldSurveyTheConfiguredShareOfAService() {
        Sampling sampling = new Sampling(Map.of("pothole", 0.25, "graffiti", 0.0));

        long sampled = IntStream.range(0, 20_000).filter(i -> sampling.sampled("pothole", "311-" + (10_000_000 + i)))
                .count();

        assertThat(sampled).isBetween(4_600L, 5_400L);
        assertThat(IntStream.range(0, 1000)).noneMatch(i -> sampling.sampled("graffiti", "311-" + i));
    }

    @Test
    void shouldDecideTheSameForTheSameRequestEveryTime() {
        Sampling one = new Sampling(Map.of("pothole", 0.5));
        Sampling another = new Sampling(Map.of("pothole", 0.5));

        assertThat(IntStream.range(0, 500).mapToObj(i -> "311-" + i))
                .allMatch(id -> one.sampled("pothole", id) == another.sampled("pothole", id)
                        && one.sampled("pothole", id) == one.sampled("pothole", id));
    }
}
