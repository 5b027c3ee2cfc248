package org.visionlake.ingest;

import java.io.Serializable;
import org.visionlake.lake.ImageSchema;

/**
 * Chooses each image's split. Splits named by the source win; train images (or images of a source without
 * splits) go to validation when their content hash falls under {@code valFraction}, unless the source names a
 * validation split itself, and to test when it falls in the top {@code testFraction} of the range. Hashing the
 * content, not the path or the order, keeps the split stable across runs, renames and partitionings; taking test
 * from the other end of the range leaves the validation images the same whatever the test fraction.
 */
record SplitAssigner(double valFraction, boolean carveVal, double testFraction) implements Serializable {

    SplitAssigner(double valFraction, boolean carveVal) {
        this(valFraction, carveVal, 0);
    }

    String assign(String sourceSplit, String contentHash) {
        if (sourceSplit != null && !ImageSchema.TRAIN.equals(sourceSplit)) {
            return sourceSplit;
        }
        double u = unitInterval(contentHash);
        if (carveVal && u < valFraction) {
            return ImageSchema.VAL;
        }
        if (u >= 1 - testFraction) {
            return ImageSchema.TEST;
        }
        return ImageSchema.TRAIN;
    }

    /** The first 52 bits of the hash as a number in [0, 1). */
    static double unitInterval(String contentHash) {
        long bits = Long.parseUnsignedLong(contentHash.substring(0, 13), 16);
        return bits / (double) (1L << 52);
    }
}
