package org.city311.console.charts;

import java.util.List;
import java.util.Locale;

import org.springframework.web.util.HtmlUtils;

/**
 * Charts drawn as SVG on the server: no chart library in the browser, nothing to load, readable by screen readers
 * (each chart has a title and a description, and each figure's value is in the markup). Colours come from the
 * console's style sheet through classes, since the Content-Security-Policy allows no inline style.
 */
public final class SvgCharts {

    private SvgCharts() {
    }

    /** A bar's label, value and whether it missed its mark (drawn in the warning colour). */
    public record Bar(String label, double value, String shown, boolean missed) {
    }

    /** A point of a trend. */
    public record Point(String label, Double value) {
    }

    /** Horizontal bars, largest scale {@code max} (1.0 for ratios), with an optional target line. */
    public static String bars(String title, List<Bar> bars, double max, Double target) {
        int rowHeight = 26;
        int labelWidth = 190;
        int width = 640;
        int plot = width - labelWidth - 70;
        int height = Math.max(1, bars.size()) * rowHeight + 10;
        StringBuilder svg = open(title, width, height, describe(bars));
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            int y = 5 + i * rowHeight;
            double share = max <= 0 ? 0 : Math.max(0, Math.min(1, bar.value() / max));
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
                            + "<rect class=\"bar%s\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\"></rect>"
                            + "<text x=\"%.1f\" y=\"%d\">%s</text>",
                    labelWidth - 8, y + 16, escape(bar.label()), bar.missed() ? " late" : "", labelWidth, y + 3,
                    share * plot, rowHeight - 8, labelWidth + share * plot + 6, y + 16, escape(bar.shown())));
        }
        if (target != null && max > 0) {
            double x = labelWidth + Math.min(1, target / max) * plot;
            svg.append(String.format(Locale.ROOT,
                    "<line class=\"target\" x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%d\"></line>", x, x, height));
        }
        return svg.append("</svg>").toString();
    }

    /** A line over time; missing points (nothing measured) leave a gap. Values are ratios from 0 to 1. */
    public static String trend(String title, List<Point> points, Double target) {
        int width = 640;
        int height = 200;
        int left = 40;
        int bottom = 30;
        int plotWidth = width - left - 20;
        int plotHeight = height - bottom - 10;
        StringBuilder description = new StringBuilder();
        for (Point point : points) {
            description.append(point.label()).append(": ")
                    .append(point.value() == null ? "nothing measured" : percent(point.value())).append(". ");
        }
        StringBuilder svg = open(title, width, height, description.toString());
        svg.append(String.format(Locale.ROOT,
                "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"></line>"
                        + "<text x=\"2\" y=\"16\">100%%</text><text x=\"2\" y=\"%d\">0%%</text>",
                left, 10 + plotHeight, left + plotWidth, 10 + plotHeight, 10 + plotHeight));
        StringBuilder path = new StringBuilder();
        double step = points.size() > 1 ? (double) plotWidth / (points.size() - 1) : 0;
        boolean drawing = false;
        for (int i = 0; i < points.size(); i++) {
            Point point = points.get(i);
            double x = left + i * step;
            // About eight labels at most, the last always: more would overlap.
            int every = Math.max(1, (points.size() + 7) / 8);
            if ((points.size() - 1 - i) % every == 0) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x,
                        height - 8, escape(point.label())));
            }
            if (point.value() == null) {
                drawing = false;
                continue;
            }
            double y = 10 + plotHeight * (1 - Math.max(0, Math.min(1, point.value())));
            path.append(drawing ? " L" : " M").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
            svg.append(String.format(Locale.ROOT, "<circle class=\"bar\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\"></circle>", x, y));
            drawing = true;
        }
        if (!path.isEmpty()) {
            svg.append("<path class=\"line\" d=\"").append(path.toString().strip()).append("\"></path>");
        }
        if (target != null) {
            double y = 10 + plotHeight * (1 - target);
            svg.append(String.format(Locale.ROOT,
                    "<line class=\"target\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"></line>", left, y,
                    left + plotWidth, y));
        }
        return svg.append("</svg>").toString();
    }

    public static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.0f%%", ratio * 100);
    }

    private static StringBuilder open(String title, int width, int height, String description) {
        String id = "chart-" + Integer.toHexString(title.hashCode());
        return new StringBuilder(String.format(Locale.ROOT,
                "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
                        + "aria-labelledby=\"%s-title %s-desc\" xmlns=\"http://www.w3.org/2000/svg\">"
                        + "<title id=\"%s-title\">%s</title><desc id=\"%s-desc\">%s</desc>",
                width, height, width, height, id, id, id, escape(title), id, escape(description)));
    }

    private static String describe(List<Bar> bars) {
        StringBuilder description = new StringBuilder();
        for (Bar bar : bars) {
            description.append(bar.label()).append(": ").append(bar.shown()).append(". ");
        }
        return description.toString();
    }

    private static String escape(String text) {
        return text == null ? "" : HtmlUtils.htmlEscape(text);
    }
}
