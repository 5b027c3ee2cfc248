package org.visionlake.ingest;

import java.util.Map;
import org.visionlake.lake.DatasetManifest;

/**
 * What an ingest reports: the published manifest, where the dataset and its quarantine table are, and how fast
 * the job ran. This is the {@code --json} summary of {@code visionlake ingest}.
 */
public record IngestResult(
        String dataset,
        String datasetPath,
        String quarantinePath,
        long read,
        long written,
        long duplicates,
        Map<String, Long> quarantined,
        Map<String, Long> skipped,
        Map<String, Map<String, Long>> counts,
        String shape,
        String fingerprint,
        double seconds,
        double imagesPerSecond,
        DatasetManifest manifest) {}
