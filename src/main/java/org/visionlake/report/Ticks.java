package org.visionlake.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Axis tick positions that read well: 1, 2 or 5 times a power of ten, or whole decades on log axes. */
final class Ticks {
    private Ticks() {}

    static List<Double> linear(double min, double max, int target) {
        double rough = (max - min) / Math.max(1, target);
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double step = magnitude;
        for (double factor : new double[] {1, 2, 5, 10}) {
            step = factor * magnitude;
            if (step >= rough) {
                break;
            }
        }
        List<Double> ticks = new ArrayList<>();
        for (double t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) {
            ticks.add(Math.abs(t) < step * 1e-9 ? 0.0 : t);
        }
        return ticks;
    }

    static List<Double> decades(double min, double max) {
        List<Double> ticks = new ArrayList<>();
        int first = (int) Math.floor(Math.log10(min));
        int last = (int) Math.ceil(Math.log10(max));
        int stride = Math.max(1, (last - first) / 8);
        for (int e = first; e <= last; e += stride) {
            ticks.add(Math.pow(10, e));
        }
        return ticks;
    }

    static String format(double value) {
        if (value == 0) {
            return "0";
        }
        double abs = Math.abs(value);
        if (abs >= 1e5 || abs < 1e-3) {
            return String.format(Locale.ROOT, "%.0e", value);
        }
        if (abs >= 100 || value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return String.format(Locale.ROOT, "%.3g", value);
    }
}
