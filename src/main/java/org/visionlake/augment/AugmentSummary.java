package org.visionlake.augment;

import java.util.List;
import java.util.Map;

/**
 * What an augment job did, for the CLI's summary and {@code --json}.
 *
 * @param imagesIn source images per split
 * @param imagesOut images written per split (the augmented split multiplied, carried splits as they were)
 * @param carriedSplits splits copied over unchanged
 * @param imagesPerSecond images written per second of the whole job, publish included
 */
public record AugmentSummary(
        String dataset,
        String source,
        String split,
        long seed,
        int copies,
        Map<String, Long> imagesIn,
        Map<String, Long> imagesOut,
        List<String> carriedSplits,
        double seconds,
        double imagesPerSecond,
        String fingerprint) {}
