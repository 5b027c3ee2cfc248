package org.visionlake.lake;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What travels beside a dataset's Parquet files as {@code _visionlake.json}: everything a later job needs to use the
 * dataset without reading its rows. A dataset folder without this file is not complete and is never read.
 *
 * @param formatVersion layout version of the dataset folder and its Parquet schema ({@link ImageSchema#VERSION})
 * @param kind {@code ingested} or {@code augmented}
 * @param labels label names; a row's {@code label} is an index into this list
 * @param counts images per split, then per label name
 * @param ingest counts of the ingest that produced the dataset (null for augmented datasets)
 * @param lineage where an augmented dataset came from (null for ingested datasets)
 * @param fingerprint changes whenever the rows change: the version key of caches built from the dataset
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetManifest(
        int formatVersion,
        String name,
        String kind,
        String createdAt,
        String source,
        String sourceFormat,
        Shape shape,
        Map<String, Object> preprocessing,
        List<String> labels,
        Map<String, Map<String, Long>> counts,
        IngestCounts ingest,
        Map<String, Object> lineage,
        String fingerprint) {

    /** Height, width and channels shared by every image of the dataset. */
    public record Shape(int height, int width, int channels) {
        @Override
        public String toString() {
            return height + "x" + width + "x" + channels;
        }
    }

    /**
     * @param read input files (or records) looked at
     * @param written images in the dataset
     * @param duplicates images dropped because an identical file was already kept
     * @param quarantined unusable inputs per reason; each has a row in the quarantine table
     * @param skipped clutter that is not an image input at all ({@code .DS_Store}, sidecars), per reason
     */
    public record IngestCounts(
            long read, long written, long duplicates, Map<String, Long> quarantined, Map<String, Long> skipped) {}

    public long total(String split) {
        return counts.getOrDefault(split, Map.of()).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    public long total() {
        return counts.keySet().stream().mapToLong(this::total).sum();
    }
}
