package org.visionlake.augment;

import java.nio.charset.StandardCharsets;

/**
 * The random draws of one transform on one copy of one image. The stream is keyed by (seed, image id, copy index,
 * transform name) alone, never by partition or row order, so a job gives the same rows however Spark splits it,
 * and turning one transform on or off does not shift the draws of the others.
 *
 * <p>SplitMix64 is written out here rather than taken from {@link java.util.SplittableRandom} so that the sequence
 * is fixed by this code and not by the JDK version the executors run.
 */
public final class SeededRandom {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    public SeededRandom(long seed) {
        this.state = seed;
    }

    /** The stream for {@code transform} applied to copy {@code copy} of image {@code imageId} under {@code seed}. */
    public static SeededRandom forDraw(long seed, String imageId, int copy, String transform) {
        long key = mix(seed ^ GOLDEN_GAMMA);
        key = mix(key ^ fnv1a(imageId));
        key = mix(key ^ (copy * GOLDEN_GAMMA));
        key = mix(key ^ fnv1a(transform));
        return new SeededRandom(key);
    }

    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [low, high]. */
    public double uniform(double low, double high) {
        return low + (high - low) * nextDouble();
    }

    /** Uniform integer in [0, bound); the tiny modulo bias of a 64-bit draw is irrelevant for image offsets. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, was " + bound);
        }
        return (int) Long.remainderUnsigned(nextLong(), bound);
    }

    /** True with probability {@code p}; always consumes one draw so later draws do not depend on {@code p}. */
    public boolean chance(double p) {
        return nextDouble() < p;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long fnv1a(String text) {
        long hash = 0xCBF29CE484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xFF;
            hash *= 0x100000001B3L;
        }
        return hash;
    }
}
