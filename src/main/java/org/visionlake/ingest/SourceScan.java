package org.visionlake.ingest;

import java.util.List;
import java.util.Map;

/**
 * What the driver found in the source before any image is decoded.
 *
 * @param items work for the tasks, in path order
 * @param labels label names; an item's label indexes this list
 * @param inputs images the items hold (files, or records of containers)
 * @param skipped clutter that is not input at all, per reason
 * @param sourceHasVal whether the source names a validation split itself (then none is carved out of train)
 * @param nativeShape {height, width, channels} of container records; null for image files
 */
record SourceScan(
        List<WorkItem> items,
        List<String> labels,
        long inputs,
        Map<String, Long> skipped,
        boolean sourceHasVal,
        int[] nativeShape) {}
