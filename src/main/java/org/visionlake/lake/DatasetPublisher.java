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
        Path staging = newStaging(draft.name());
        try {
            Path data = new Path(staging, "data");
            write(rows, data);
            return publishWritten(data, draft, List.of());
        } finally {
            lake.deleteQuietly(staging);
        }
    }

    /** A fresh staging folder for a dataset; the caller deletes it (in a finally) once published or failed. */
    public Path newStaging(String name) {
        return lake.newStagingPath("dataset-" + LakeNames.requireValid("dataset", name));
    }

    /** Writes image rows as Parquet partitioned by split into {@code data}, a folder under a staging folder. */
    public void write(Dataset<Row> rows, Path data) {
        rows.write().mode(SaveMode.ErrorIfExists).partitionBy(ImageSchema.SPLIT).parquet(data.toString());
    }

    /**
     * A folder staged beside a dataset (such as its quarantine table) and where it goes; companions are published
     * before the dataset, whose manifest is the commit point, so a dataset is never visible without them.
     */
    public record Companion(Path staged, Path target) {}

    /**
     * Publishes rows already {@link #write written} to {@code data}: computes counts and fingerprint from them,
     * writes the manifest, publishes the companions, then renames {@code data} to {@code datasets/<name>}.
     */
    public DatasetManifest publishWritten(Path data, Draft draft, List<Companion> companions) {
        Path target = lake.datasetPath(draft.name());
        DatasetManifest manifest = complete(draft, data);
        lake.writeText(new Path(data, Lake.MANIFEST), Json.write(manifest));
        for (Companion companion : companions) {
            lake.publish(companion.staged(), companion.target());
        }
        lake.publish(data, target);
        LOG.info(
                "published dataset={} images={} splits={} fingerprint={} path={}",
                draft.name(),
                manifest.total(),
                manifest.counts().keySet(),
                manifest.fingerprint(),
                target);
        return manifest;
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
