package org.visionlake.features;

import java.util.Map;
import org.visionlake.lake.DatasetManifest;

/**
 * What travels beside a feature cache entry as {@code _features.json}. Everything the key is made of is recorded,
 * so a reader can tell what the vectors are without recomputing the key.
 *
 * @param createdAt when the features were computed; unchanged as long as the entry is reused
 * @param counts feature rows per split
 * @param computeSeconds how long the one featurisation took, and its rate
 */
public record FeatureManifest(
        int formatVersion,
        String key,
        String modelId,
        String modelFingerprint,
        String dataset,
        String datasetFingerprint,
        String layer,
        int featureSize,
        DatasetManifest.Shape inputShape,
        Map<String, Long> counts,
        String createdAt,
        double computeSeconds,
        double imagesPerSecond) {}
