package org.visionlake.train;

import java.util.Arrays;
import java.util.Locale;
import org.visionlake.VisionLakeException;

/**
 * The learning rate of each epoch. Applied by the driver at the start of an epoch (not by DL4J's iteration-based
 * schedules), so Spark workers, whose iteration counters restart every averaging round, and local training see the
 * same rate.
 */
public enum LearningRateSchedule {
    /** The base rate throughout. */
    CONSTANT,
    /** The base rate, divided by 10 after half and again after three quarters of the epochs (the ResNet paper). */
    STEP,
    /** Cosine annealing from the base rate towards 0 over the epochs. */
    COSINE;

    /** The rate of {@code epoch} (0-based) out of {@code epochs}. */
    public double rate(double base, int epoch, int epochs) {
        return switch (this) {
            case CONSTANT -> base;
            case STEP -> base
                    * (epoch >= epochs * 3 / 4 && epochs >= 4 ? 0.01 : epoch >= epochs / 2 && epochs >= 2 ? 0.1 : 1.0);
            case COSINE -> base * 0.5 * (1 + Math.cos(Math.PI * epoch / epochs));
        };
    }

    public static LearningRateSchedule parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new VisionLakeException("unknown --schedule '" + name + "': expected one of "
                    + Arrays.toString(values()).toLowerCase(Locale.ROOT));
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
