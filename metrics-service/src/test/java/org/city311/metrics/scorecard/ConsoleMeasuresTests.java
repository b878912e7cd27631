package org.city311.metrics.scorecard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console looks scorecard measures up by the names of its own {@code upstream.Measure}: each must be a measure
 * these scorecards give, or its column would read "—" for ever. (The console does not depend on this service, so
 * the check reads its source, in the same repository.)
 */
class ConsoleMeasuresTests {

    private static final Path CONSOLE_MEASURES = Path.of(
            "../console/src/main/java/org/city311/console/upstream/Measure.java");
    private static final Pattern CONSTANT = Pattern.compile("^\\s+[A-Z_]+\\(\"([a-z0-9-]+)\"\\)[,;]", Pattern.MULTILINE);

    @Test
    void shouldGiveEveryMeasureTheConsoleShows() throws IOException {
        List<String> shown = new ArrayList<>();
        Matcher constant = CONSTANT.matcher(Files.readString(CONSOLE_MEASURES));
        while (constant.find()) {
            shown.add(constant.group(1));
        }

        assertThat(shown).as("the console's measures").contains("routed", "satisfaction-mean").hasSizeGreaterThan(5);
        for (String name : shown) {
            assertThat(Measure.byKey(name).key()).as(name).isEqualTo(name);
        }
    }
}
