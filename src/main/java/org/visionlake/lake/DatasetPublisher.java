package org.visionlake.lake;

import static org.apache.spark.sql.functions.bit_xor;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.xxhash64;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes image rows ({@link ImageSchema}) as a dataset of the lake: Parquet partitioned by split into a staging
 * folder, then the manifest with counts and fingerprint computed from what was written, then one rename into
 * {@code datasets/<name>}. A job killed at any point leaves the previous version (or nothing) in place.
 */
public final class DatasetPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetPublisher.class);

    private final SparkSession spark;
    private final Lake lake;

    public DatasetPublisher(SparkSession spark, Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    /**
     * The manifest fields a job knows before writing; counts and fingerprint are filled in from the written rows.
     */
    public record Draft(
            String name,
            String kind,
            String source,
            String sourceFormat,
            DatasetManifest.Shape shape,
            Map<String, Object> preprocessing,
            List<String> labels,
            DatasetManifest.IngestCounts ingest,
            Map<String, Object> lineage) {}

    /** Writes {@code rows} and publishes them as dataset {@code draft.name()}; returns the manifest written. */
    public DatasetManifest publish(Dataset<Row> rows, Draft draft) {
        Path target = lake.datasetPath(draft.name());
        Path staging = lake.newStagingPath("dataset-" + draft.name());
        Path data = new Path(staging, "data");
        try {
            rows.write()
                    .mode(SaveMode.ErrorIfExists)
                    .partitionBy(ImageSchema.SPLIT)
                    .parquet(data.toString());

            DatasetManifest manifest = complete(draft, data);
            lake.writeText(new Path(data, Lake.MANIFEST), Json.write(manifest));
            lake.publish(data, target);
            LOG.info(
                    "published dataset={} images={} splits={} fingerprint={} path={}",
                    draft.name(),
                    manifest.total(),
                    manifest.counts().keySet(),
                    manifest.fingerprint(),
                    target);
            return manifest;
        } finally {
            lake.deleteQuietly(staging);
        }
    }

    private DatasetManifest complete(Draft draft, Path data) {
        Dataset<Row> written = spark.read().schema(ImageSchema.schema()).parquet(data.toString());

        Map<String, Map<String, Long>> counts = new TreeMap<>();
        for (Row row : written.groupBy(ImageSchema.SPLIT, ImageSchema.LABEL_NAME)
                .agg(count("*"))
                .collectAsList()) {
            counts.computeIfAbsent(row.getString(0), split -> new TreeMap<>()).put(row.getString(1), row.getLong(2));
        }

        // Order-independent: the same rows give the same fingerprint whatever the partitioning of the job.
        Row digest = written.agg(bit_xor(xxhash64(
                        col(ImageSchema.ID), col(ImageSchema.LABEL), col(ImageSchema.SPLIT), col(ImageSchema.PIXELS))))
                .first();
        long rowsDigest = digest.isNullAt(0) ? 0L : digest.getLong(0);
        long settingsDigest = Json.write(draft.preprocessing()).hashCode() * 31L
                + Json.write(draft.labels()).hashCode();
        String fingerprint = String.format("%016x", rowsDigest ^ (settingsDigest * 0x9E3779B97F4A7C15L));

        return new DatasetManifest(
                ImageSchema.VERSION,
                draft.name(),
                draft.kind(),
                Instant.now().toString(),
                draft.source(),
                draft.sourceFormat(),
                draft.shape(),
                draft.preprocessing(),
                draft.labels(),
                counts,
                draft.ingest(),
                draft.lineage(),
                fingerprint);
    }
}
