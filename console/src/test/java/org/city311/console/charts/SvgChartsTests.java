package org.city311.console.charts;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SvgChartsTests {

    @Test
    void shouldDrawOneBarPerDepartmentWithItsFigureReadableByScreenReaders() {
        String svg = SvgCharts.bars("On time", List.of(new SvgCharts.Bar("parks", 0.9, "90%", false),
                new SvgCharts.Bar("sanitation", 0.5, "50%", true)), 1.0, null);

        assertThat(svg).startsWith("<svg").endsWith("</svg>").contains("role=\"img\"", "<title", "On time",
                "parks: 90%. sanitation: 50%.");
        assertThat(svg.split("<rect", -1)).hasSize(3);
        // the department that missed is drawn in the warning colour (a class: no inline style under the CSP)
        assertThat(svg).contains("class=\"bar late\"").doesNotContain("style=");
    }

    @Test
    void shouldEscapeLabelsSoACatalogNameCannotInjectMarkup() {
        String svg = SvgCharts.bars("x", List.of(new SvgCharts.Bar("<script>alert(1)</script>", 1, "1", false)), 1,
                null);

        assertThat(svg).doesNotContain("<script>").contains("&lt;script&gt;");
    }

    @Test
    void shouldLeaveAGapInATrendWhereNothingWasMeasured() {
        String svg = SvgCharts.trend("Trend", List.of(new SvgCharts.Point("1 Nov", 0.8),
                new SvgCharts.Point("8 Nov", null), new SvgCharts.Point("15 Nov", 0.9)), null);

        // two separate pieces of line, and the description says the week had nothing
        assertThat(svg).contains("8 Nov: nothing measured");
        String path = svg.substring(svg.indexOf(" d=\"") + 4);
        assertThat(path.substring(0, path.indexOf('"')).chars().filter(c -> c == 'M').count()).isEqualTo(2);
    }
}
