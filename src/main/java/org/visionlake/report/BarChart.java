package org.visionlake.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Horizontal bars with their values written beside them, as self-contained SVG; optionally on a log scale. */
public final class BarChart {
    private static final int WIDTH = 640;
    private static final int BAR = 22;
    private static final int LABEL_WIDTH = 200;

    private final String title;
    private final String unit;
    private final boolean log;
    private final List<String> labels = new ArrayList<>();
    private final List<Double> values = new ArrayList<>();

    public BarChart(String title, String unit, boolean log) {
        this.title = title;
        this.unit = unit;
        this.log = log;
    }

    public BarChart add(String label, double value) {
        labels.add(label);
        values.add(value);
        return this;
    }

    public String toSvg() {
        int height = 40 + labels.size() * (BAR + 8) + 10;
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        double min = values.stream()
                .mapToDouble(Double::doubleValue)
                .filter(v -> v > 0)
                .min()
                .orElse(1);
        StringBuilder svg = new StringBuilder(4096);
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"sans-serif\" font-size=\"12\">%n",
                WIDTH,
                height,
                WIDTH,
                height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">%s</text>%n",
                WIDTH / 2,
                Html.escape(title)));
        double span = WIDTH - LABEL_WIDTH - 110;
        for (int i = 0; i < labels.size(); i++) {
            double value = values.get(i);
            double fraction = log
                    ? (value <= 0
                            ? 0
                            : (Math.log10(value) - Math.log10(min) + 0.3) / (Math.log10(max) - Math.log10(min) + 0.3))
                    : (max <= 0 ? 0 : value / max);
            int y = 36 + i * (BAR + 8);
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    LABEL_WIDTH - 8,
                    y + BAR - 7,
                    Html.escape(labels.get(i))));
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#1f77b4\"/>%n",
                    LABEL_WIDTH,
                    y,
                    Math.max(1, fraction * span),
                    BAR));
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\">%s %s</text>%n",
                    LABEL_WIDTH + Math.max(1, fraction * span) + 6,
                    y + BAR - 7,
                    value == Math.rint(value) ? String.format(Locale.ROOT, "%,.0f", value) : Ticks.format(value),
                    Html.escape(unit)));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }
}
