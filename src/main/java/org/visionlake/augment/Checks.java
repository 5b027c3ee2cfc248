package org.visionlake.augment;

import org.visionlake.VisionLakeException;

/** Argument checks shared by the transforms, with messages that name the setting, the bounds and the value. */
final class Checks {
    private Checks() {}

    static void probability(String transform, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new VisionLakeException(String.format(
                    "%s probability must be in [0, 1], found %s; pass e.g. 0.5 (or 0 to turn it off)", transform, p));
        }
    }

    static void range(String what, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new VisionLakeException(
                    String.format("%s must be in [%s, %s], found %s", what, fmt(min), fmt(max), fmt(value)));
        }
    }

    static void atLeast(String what, long value, long min) {
        if (value < min) {
            throw new VisionLakeException(String.format("%s must be at least %d, found %d", what, min, value));
        }
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
