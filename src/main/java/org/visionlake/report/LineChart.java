package org.visionlake.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart rendered as self-contained SVG (no scripts, no fonts to fetch), for training curves and
 * gradient-flow plots. The y axis can be logarithmic; vertical markers label events such as the stage-1 to stage-2
 * transition of fine-tuning.
 */
public final class LineChart {
    private static final String[] COLORS = {
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"
    };
    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;
    private static final int LEFT = 64;
    private static final int RIGHT = 150;
    private static final int TOP = 36;
    private static final int BOTTOM = 48;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logY;
    private boolean logX;
    private final List<Series> series = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();

    /** One named line; {@code dashed} draws it dashed (e.g. validation next to solid training curves). */
    public record Series(String name, double[] x, double[] y, boolean dashed, int color) {}

    public record Marker(double x, String label) {}

    public LineChart(String title, String xLabel, String yLabel, boolean logY) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logY = logY;
    }

    /** Draws the x axis on a log scale, for quantities such as training-set sizes that span decades. */
    public LineChart logX() {
        this.logX = true;
        return this;
    }

    public LineChart add(String name, double[] x, double[] y, boolean dashed) {
        if (x.length != y.length) {
            throw new IllegalArgumentException(
                    "series '" + name + "' has " + x.length + " x values but " + y.length + " y values");
        }
        return add(name, x, y, dashed, series.size());
    }

    /** Adds a series in the palette colour {@code color}, so that related lines (train and val) share one. */
    public LineChart add(String name, double[] x, double[] y, boolean dashed, int color) {
        if (x.length != y.length) {
            throw new IllegalArgumentException(
                    "series '" + name + "' has " + x.length + " x values but " + y.length + " y values");
        }
        series.add(new Series(name, x.clone(), y.clone(), dashed, color));
        return this;
    }

    public LineChart mark(double x, String label) {
        markers.add(new Marker(x, label));
        return this;
    }

    public List<Series> series() {
        return List.copyOf(series);
    }

    public String toSvg() {
        Range xs = xRange();
        Range ys = yRange();
        StringBuilder svg = new StringBuilder(8192);
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"sans-serif\" font-size=\"12\">%n",
                WIDTH,
                HEIGHT,
                WIDTH,
                HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(svg, WIDTH / 2.0, 20, "middle", 14, title);
        axes(svg, xs, ys);
        for (Marker marker : markers) {
            marker(svg, xs, marker);
        }
        for (int i = 0; i < series.size(); i++) {
            String color = COLORS[series.get(i).color() % COLORS.length];
            line(svg, xs, ys, series.get(i), color);
            legend(svg, i, series.get(i), color);
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private void axes(StringBuilder svg, Range xs, Range ys) {
        double plotBottom = HEIGHT - BOTTOM;
        double plotRight = WIDTH - RIGHT;
        svg.append(String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n",
                LEFT,
                TOP,
                WIDTH - LEFT - RIGHT,
                HEIGHT - TOP - BOTTOM));
        for (double tick : xs.ticks(logX, wholeX())) {
            double px = px(xs, tick);
            gridLine(svg, px, TOP, px, plotBottom);
            text(svg, px, plotBottom + 16, "middle", 11, Ticks.format(tick));
        }
        for (double tick : ys.ticks(logY, false)) {
            double py = py(ys, tick);
            gridLine(svg, LEFT, py, plotRight, py);
            text(svg, LEFT - 6, py + 4, "end", 11, Ticks.format(tick));
        }
        text(svg, (LEFT + plotRight) / 2, HEIGHT - 10, "middle", 12, xLabel);
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"14\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 14 %.1f)\">%s</text>%n",
                (TOP + plotBottom) / 2,
                (TOP + plotBottom) / 2,
                Html.escape(yLabel)));
    }

    private void line(StringBuilder svg, Range xs, Range ys, Series s, String color) {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < s.x().length; i++) {
            if (!Double.isFinite(s.y()[i]) || (logY && s.y()[i] <= 0)) {
                continue;
            }
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px(xs, s.x()[i]), py(ys, s.y()[i])));
        }
        svg.append(String.format(
                Locale.ROOT,
                "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"%s\"><title>%s</title>"
                        + "</polyline>%n",
                color,
                s.dashed() ? " stroke-dasharray=\"6 4\"" : "",
                points.toString().trim(),
                Html.escape(s.name())));
        if (s.x().length <= 40) {
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.y()[i]) && !(logY && s.y()[i] <= 0)) {
                    svg.append(String.format(
                            Locale.ROOT,
                            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>%n",
                            px(xs, s.x()[i]),
                            py(ys, s.y()[i]),
                            color));
                }
            }
        }
    }

    private void legend(StringBuilder svg, int index, Series s, String color) {
        double x = WIDTH - RIGHT + 12;
        double y = TOP + 10 + index * 18;
        svg.append(String.format(
                Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                x,
                y,
                x + 22,
                y,
                color,
                s.dashed() ? " stroke-dasharray=\"6 4\"" : ""));
        text(svg, x + 28, y + 4, "start", 11, s.name());
    }

    private void marker(StringBuilder svg, Range xs, Marker marker) {
        double px = px(xs, marker.x());
        svg.append(String.format(
                Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\" stroke-dasharray=\"2 3\"/>%n",
                px,
                TOP,
                px,
                HEIGHT - BOTTOM));
        text(svg, px + 4, TOP + 12, "start", 10, marker.label());
    }

    /** Whether every x value is a whole number (epochs, depths), so that fractional ticks would mislead. */
    private boolean wholeX() {
        return series.stream()
                .flatMapToDouble(s -> java.util.Arrays.stream(s.x()))
                .allMatch(x -> x == Math.rint(x));
    }

    private Range xRange() {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double x : s.x()) {
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
        }
        for (Marker m : markers) {
            min = Math.min(min, m.x());
            max = Math.max(max, m.x());
        }
        return Range.of(min, max, logX);
    }

    private Range yRange() {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double y : s.y()) {
                if (Double.isFinite(y) && (!logY || y > 0)) {
                    min = Math.min(min, y);
                    max = Math.max(max, y);
                }
            }
        }
        return Range.of(min, max, logY);
    }

    private double px(Range xs, double x) {
        return LEFT + xs.fraction(x, logX) * (WIDTH - LEFT - RIGHT);
    }

    private double py(Range ys, double y) {
        return HEIGHT - BOTTOM - ys.fraction(y, logY) * (HEIGHT - TOP - BOTTOM);
    }

    private static void gridLine(StringBuilder svg, double x1, double y1, double x2, double y2) {
        svg.append(String.format(
                Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>%n",
                x1,
                y1,
                x2,
                y2));
    }

    private static void text(StringBuilder svg, double x, double y, String anchor, int size, String value) {
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
                x,
                y,
                anchor,
                size,
                Html.escape(value)));
    }

    /** The visible interval of one axis, padded so that lines do not sit on the frame. */
    private record Range(double min, double max) {
        static Range of(double min, double max, boolean log) {
            if (!Double.isFinite(min) || !Double.isFinite(max)) {
                return log ? new Range(0.1, 1) : new Range(0, 1);
            }
            if (log) {
                return new Range(Math.pow(10, Math.floor(Math.log10(min))), Math.pow(10, Math.ceil(Math.log10(max))));
            }
            if (min == max) {
                return new Range(min - 0.5, max + 0.5);
            }
            double pad = (max - min) * 0.05;
            return new Range(min - pad, max + pad);
        }

        double fraction(double value, boolean log) {
            if (log) {
                double span = Math.log10(max) - Math.log10(min);
                return span == 0 ? 0.5 : (Math.log10(value) - Math.log10(min)) / span;
            }
            return (value - min) / (max - min);
        }

        List<Double> ticks(boolean log, boolean whole) {
            if (log) {
                return Ticks.decades(min, max);
            }
            List<Double> ticks = Ticks.linear(min, max, 6);
            return whole ? ticks.stream().filter(t -> t == Math.rint(t)).toList() : ticks;
        }
    }
}
