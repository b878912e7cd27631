package org.city311.metrics.goal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The goal gauges, named from {@link Goals} itself: renaming one there without the README fails here. */
class GoalMetricsDocumentedTests {

    @Test
    void shouldDocumentTheGoalGaugesInTheReadme() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));

        assertThat(List.of(Goals.PROGRESS, Goals.GUARD_TRIPPED)).allSatisfy(name -> assertThat(readme)
                .as("the README's metric table lists %s", name).contains("`" + name + "`"));
    }
}
