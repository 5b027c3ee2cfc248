package org.visionlake.augment;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visionlake.VisionLakeException;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.lake.DatasetPublisher;
import org.visionlake.lake.ImageSchema;
import org.visionlake.lake.Lake;
import org.visionlake.lake.LakeDatasets;
import org.visionlake.progress.AccumulatorProgress;

/**
 * Writes an augmented copy of one split of a lake dataset as a new dataset of kind {@code augmented}. The other
 * splits are carried over unchanged, so the result can be trained on and validated as it is.
 *
 * <p>Use {@link #plan} first: it checks the settings against the lake's manifests without Spark, so a typo in a
 * name or split fails in milliseconds instead of after the Spark start-up.
 */
public final class AugmentJob {
    public static final String KIND = "augmented";
    private static final Logger LOG = LoggerFactory.getLogger(AugmentJob.class);
    private static final long PROGRESS_INTERVAL_MILLIS = 5_000;

    private AugmentJob() {}

    /** The settings with the source manifest they were checked against. */
    public record Plan(AugmentSettings settings, DatasetManifest source) {
        public List<String> carriedSplits() {
            return source.counts().keySet().stream()
                    .filter(split -> !split.equals(settings.split()))
                    .toList();
        }

        /** Images the job will write, per split. */
        public Map<String, Long> expectedOutput() {
            Map<String, Long> expected = new TreeMap<>();
            for (String split : source.counts().keySet()) {
                long in = source.total(split);
                expected.put(split, split.equals(settings.split()) ? in * settings.outputsPerImage() : in);
            }
            return expected;
        }
    }

    /** Checks that the source dataset and split exist; reads manifests only. */
    public static Plan plan(Lake lake, AugmentSettings settings) {
        DatasetManifest source = new LakeDatasets(lake).manifest(settings.source());
        if (source.total(settings.split()) == 0) {
            throw new VisionLakeException(String.format(
                    "dataset '%s' has no images in split '%s': its splits are %s; pass one of them with --split",
                    settings.source(), settings.split(), source.counts().keySet()));
        }
        return new Plan(settings, source);
    }

    public static AugmentSummary run(SparkSession spark, Lake lake, Plan plan) {
        AugmentSettings settings = plan.settings();
        LOG.info(
                "augment source={} split={} name={} copies={} seed={} includeOriginal={} partitions={} transforms={}",
                settings.source(),
                settings.split(),
                settings.name(),
                settings.copies(),
                settings.seed(),
                settings.includeOriginal(),
                settings.partitions(),
                settings.pipeline().settings());

        LakeDatasets datasets = new LakeDatasets(lake);
        Dataset<Row> source = datasets.read(spark, settings.source());
        StructType schema = AugmentedColumns.schema(labelMetadata(spark, lake, settings.source()));
        LongAccumulator produced = spark.sparkContext().longAccumulator("augment images");

        Dataset<Row> split = source.where(col(ImageSchema.SPLIT).equalTo(settings.split()));
        if (settings.partitions() > 0) {
            split = split.repartition(settings.partitions());
        }
        Dataset<Row> augmented = split.flatMap(new AugmentRows(settings, produced), Encoders.row(schema));
        Dataset<Row> carried = source.where(col(ImageSchema.SPLIT).notEqual(settings.split()))
                .map(new CarryRow(produced), Encoders.row(schema));

        long expected = plan.expectedOutput().values().stream()
                .mapToLong(Long::longValue)
                .sum();
        DatasetManifest written;
        double seconds;
        try (AccumulatorProgress progress =
                new AccumulatorProgress(LOG, "augment", expected, produced, PROGRESS_INTERVAL_MILLIS)) {
            written = new DatasetPublisher(spark, lake).publish(augmented.union(carried), draft(plan));
            seconds = progress.progress().elapsedSeconds();
        }
        return summary(plan, written, seconds);
    }

    private static DatasetPublisher.Draft draft(Plan plan) {
        DatasetManifest source = plan.source();
        return new DatasetPublisher.Draft(
                plan.settings().name(),
                KIND,
                "dataset:" + source.name(),
                "visionlake-dataset",
                source.shape(),
                source.preprocessing(),
                source.labels(),
                null,
                lineage(plan));
    }

    private static Map<String, Object> lineage(Plan plan) {
        AugmentSettings settings = plan.settings();
        Map<String, Object> lineage = new LinkedHashMap<>();
        lineage.put("sourceDataset", settings.source());
        lineage.put("sourceFingerprint", plan.source().fingerprint());
        lineage.put("sourceKind", plan.source().kind());
        lineage.put("split", settings.split());
        lineage.put("seed", settings.seed());
        lineage.put("copies", settings.copies());
        lineage.put("includeOriginal", settings.includeOriginal());
        lineage.put("transforms", settings.pipeline().settings());
        lineage.put("carriedSplits", plan.carriedSplits());
        return lineage;
    }

    private static AugmentSummary summary(Plan plan, DatasetManifest written, double seconds) {
        Map<String, Long> in = new TreeMap<>();
        plan.source()
                .counts()
                .keySet()
                .forEach(split -> in.put(split, plan.source().total(split)));
        Map<String, Long> out = new TreeMap<>();
        written.counts().keySet().forEach(split -> out.put(split, written.total(split)));
        long produced = out.values().stream().mapToLong(Long::longValue).sum();
        AugmentSummary summary = new AugmentSummary(
                written.name(),
                plan.settings().source(),
                plan.settings().split(),
                plan.settings().seed(),
                plan.settings().copies(),
                in,
                out,
                new ArrayList<>(plan.carriedSplits()),
                Math.round(seconds * 10) / 10.0,
                seconds > 0 ? Math.round(produced / seconds * 10) / 10.0 : 0,
                written.fingerprint());
        LOG.info(
                "augment done dataset={} imagesIn={} imagesOut={} seconds={} imagesPerSecond={} fingerprint={}",
                summary.dataset(),
                in,
                out,
                summary.seconds(),
                summary.imagesPerSecond(),
                summary.fingerprint());
        return summary;
    }

    /** The metadata the source's label column carries in its Parquet footer, so the copy keeps it. */
    private static Metadata labelMetadata(SparkSession spark, Lake lake, String name) {
        StructType stored =
                spark.read().parquet(lake.datasetPath(name).toString()).schema();
        return List.of(stored.fieldNames()).contains(ImageSchema.LABEL)
                ? stored.apply(ImageSchema.LABEL).metadata()
                : Metadata.empty();
    }

    /** Executor side: the copies of one source row. */
    private static final class AugmentRows implements FlatMapFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final AugmentSettings settings;
        private final LongAccumulator produced;

        AugmentRows(AugmentSettings settings, LongAccumulator produced) {
            this.settings = settings;
            this.produced = produced;
        }

        @Override
        public Iterator<Row> call(Row row) {
            String id = row.getString(row.fieldIndex(ImageSchema.ID));
            HwcImage image = image(row, id);
            List<Row> copies = new ArrayList<>(settings.outputsPerImage());
            if (settings.includeOriginal()) {
                copies.add(output(row, AugmentedColumns.copyId(id, 0), image, id, 0, "[]"));
            }
            for (int copy = 1; copy <= settings.copies(); copy++) {
                AugmentPipeline.Augmented result = settings.pipeline().augment(image, settings.seed(), id, copy);
                copies.add(
                        output(row, AugmentedColumns.copyId(id, copy), result.image(), id, copy, result.lineageJson()));
            }
            produced.add(copies.size());
            return copies.iterator();
        }

        private static HwcImage image(Row row, String id) {
            try {
                return new HwcImage(
                        row.getInt(row.fieldIndex(ImageSchema.HEIGHT)),
                        row.getInt(row.fieldIndex(ImageSchema.WIDTH)),
                        row.getInt(row.fieldIndex(ImageSchema.CHANNELS)),
                        row.getAs(ImageSchema.PIXELS));
            } catch (VisionLakeException e) {
                throw new VisionLakeException("cannot augment image id=" + id + ": " + e.getMessage(), e);
            }
        }
    }

    /** Executor side: a row of a split that is not augmented, with lineage columns that say so. */
    private static final class CarryRow implements MapFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final LongAccumulator produced;

        CarryRow(LongAccumulator produced) {
            this.produced = produced;
        }

        @Override
        public Row call(Row row) {
            String id = row.getString(row.fieldIndex(ImageSchema.ID));
            produced.add(1);
            HwcImage unchanged = new HwcImage(
                    row.getInt(row.fieldIndex(ImageSchema.HEIGHT)),
                    row.getInt(row.fieldIndex(ImageSchema.WIDTH)),
                    row.getInt(row.fieldIndex(ImageSchema.CHANNELS)),
                    row.getAs(ImageSchema.PIXELS));
            return output(row, id, unchanged, id, 0, "[]");
        }
    }

    private static Row output(Row source, String id, HwcImage image, String sourceId, int copy, String transform) {
        return RowFactory.create(
                id,
                source.getString(source.fieldIndex(ImageSchema.CONTENT_HASH)),
                source.getString(source.fieldIndex(ImageSchema.SOURCE_PATH)),
                source.getInt(source.fieldIndex(ImageSchema.LABEL)),
                source.getString(source.fieldIndex(ImageSchema.LABEL_NAME)),
                source.getString(source.fieldIndex(ImageSchema.SPLIT)),
                image.height(),
                image.width(),
                image.channels(),
                image.pixels(),
                sourceId,
                copy,
                transform);
    }
}
