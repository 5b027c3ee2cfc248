package org.visionlake.ingest;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.min;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visionlake.VisionLakeException;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.lake.DatasetPublisher;
import org.visionlake.lake.ImageSchema;
import org.visionlake.lake.Lake;
import org.visionlake.lake.QuarantineTable;
import org.visionlake.progress.Progress;

/**
 * {@code visionlake ingest}: a source folder on any Hadoop file system to a dataset of the lake.
 *
 * <ol>
 *   <li>The driver lists the source once and turns it into work items (files, or record ranges of containers).
 *   <li>Tasks decode their items into {@link ImageSchema} rows, which are written straight to a staging folder;
 *       bad inputs go to a quarantine accumulator instead.
 *   <li>Duplicates are found from the staged rows' two small columns (content hash, source path); only when some
 *       exist are the staged rows rewritten without them, so the common case pays nothing for deduplication and no
 *       job ever shuffles pixels.
 *   <li>The quarantine table and the dataset are published from staging, dataset last.
 * </ol>
 */
public final class IngestJob {
    /** Label names ride on the label column: Spark keeps column metadata in the Parquet footer's schema. */
    public static final String LABELS_METADATA_KEY = "visionlake.labels";

    public static final String FORMAT_VERSION_METADATA_KEY = "visionlake.format_version";
    private static final Logger LOG = LoggerFactory.getLogger(IngestJob.class);
    private static final int RECORDS_PER_ITEM = 10_000;
    private static final int FILES_PER_PARTITION_MAX = 2_000;

    private final SparkSession spark;
    private final Lake lake;

    public IngestJob(SparkSession spark, Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    public IngestResult run(IngestSettings requested) {
        long started = System.nanoTime();
        Path root = new Path(requested.source());
        FileSystem fs = sourceFileSystem(root);
        SourceScan scan = scan(requested, fs, root);
        LOG.info(
                "listed source={} inputs={} items={} seconds={}",
                root,
                scan.inputs(),
                scan.items().size(),
                String.format("%.2f", (System.nanoTime() - started) / 1e9));
        IngestSettings settings = resolveShape(requested, scan, fs);
        LOG.info(
                "ingest settings: dataset={} source={} format={} inputs={} labels={} size={}x{} channels={}"
                        + " resize={} valFraction={} carveVal={} maxPixels={} skipped={}",
                settings.name(),
                fs.makeQualified(root),
                settings.format(),
                scan.inputs(),
                scan.labels().size(),
                settings.height(),
                settings.width(),
                settings.channels(),
                settings.resize().name().toLowerCase(java.util.Locale.ROOT),
                settings.valFraction(),
                !scan.sourceHasVal(),
                settings.maxPixels(),
                scan.skipped());

        DatasetPublisher publisher = new DatasetPublisher(spark, lake);
        Path staging = publisher.newStaging(settings.name());
        try {
            return decodeAndPublish(settings, scan, fs.makeQualified(root).toString(), publisher, staging, started);
        } finally {
            lake.deleteQuietly(staging);
        }
    }

    private IngestResult decodeAndPublish(
            IngestSettings settings,
            SourceScan scan,
            String source,
            DatasetPublisher publisher,
            Path staging,
            long started) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        CollectionAccumulator<QuarantineRecord> quarantine = jsc.sc().collectionAccumulator("ingest quarantine");
        LongAccumulator done = jsc.sc().longAccumulator("ingest inputs done");
        DecodeTask task = new DecodeTask(
                new SerializableConf(lake.hadoopConf()),
                settings.preprocessing(),
                scan.labels(),
                new SplitAssigner(settings.valFraction(), !scan.sourceHasVal(), settings.testFraction()),
                settings.maxFileBytes(),
                quarantine,
                done);

        StructType schema = ImageSchema.schema(labelMetadata(scan.labels(), settings));
        JavaRDD<Row> rows =
                jsc.parallelize(scan.items(), partitions(settings, scan, jsc)).mapPartitions(task);
        Path decoded = new Path(staging, "decoded");
        try (ProgressPoller poller = new ProgressPoller(done, scan.inputs())) {
            publisher.write(spark.createDataFrame(rows, schema), decoded);
        }

        Dedup dedup = dedup(decoded, schema, new Path(staging, "data"), publisher);
        List<QuarantineRecord> quarantined = distinct(quarantine.value());
        Path quarantineStaged = new Path(staging, "quarantine");
        writeQuarantine(quarantined, quarantineStaged);

        DatasetManifest.IngestCounts counts = new DatasetManifest.IngestCounts(
                scan.inputs(),
                scan.inputs() - dedup.duplicates() - quarantined.size(),
                dedup.duplicates(),
                countByReason(quarantined),
                scan.skipped());
        DatasetManifest manifest = publisher.publishWritten(
                dedup.data(),
                draft(settings, scan, source, counts),
                List.of(new DatasetPublisher.Companion(quarantineStaged, lake.quarantinePath(settings.name()))));
        return result(settings, manifest, counts, started);
    }

    private static SourceScan scan(IngestSettings settings, FileSystem fs, Path root) {
        try {
            return switch (settings.format()) {
                case IMAGEFOLDER, FILENAME -> new FileSourceScanner(settings.format(), settings.labelPattern())
                        .scan(fs, root);
                case IDX -> new ContainerScanner(RECORDS_PER_ITEM, settings.labelNames()).scanIdx(fs, root);
                case CIFAR10_BINARY -> new ContainerScanner(RECORDS_PER_ITEM, settings.labelNames())
                        .scanCifar(fs, root);
            };
        } catch (FileNotFoundException e) {
            throw new VisionLakeException(
                    "source " + root + " not found: " + e.getMessage()
                            + "; pass an existing folder (local path or Hadoop URI such as hdfs:// or s3a://)",
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the source " + root, e);
        }
    }

    private FileSystem sourceFileSystem(Path root) {
        try {
            FileSystem fs = root.getFileSystem(lake.hadoopConf());
            if (!fs.exists(root)) {
                throw new VisionLakeException(String.format(
                        "source %s not found on %s; pass an existing folder (local path or Hadoop URI)",
                        root, fs.getUri()));
            }
            return fs;
        } catch (IOException e) {
            throw new VisionLakeException(
                    "cannot reach the file system of source " + root + ": " + e.getMessage()
                            + "; check the URI scheme and the Hadoop settings for it",
                    e);
        }
    }

    /** Sizes left at 0 come from the source: container records' native shape, else the first readable image. */
    private static IngestSettings resolveShape(IngestSettings s, SourceScan scan, FileSystem fs) {
        int[] shape = scan.nativeShape() != null ? scan.nativeShape() : firstImageShape(scan, fs);
        int h = s.height() > 0 ? s.height() : shape[0];
        int w = s.width() > 0 ? s.width() : shape[1];
        int c = s.channels() > 0 ? s.channels() : shape[2];
        return s.withShape(h, w, c);
    }

    private static int[] firstImageShape(SourceScan scan, FileSystem fs) {
        ImageDecoder probe = new ImageDecoder(new Preprocessing(1, 1, 3, ResizePolicy.CROP, 0, Long.MAX_VALUE));
        for (WorkItem item : scan.items().subList(0, Math.min(100, scan.items().size()))) {
            if (item.sizeBytes() == 0 || item.sizeBytes() > (64 << 20)) {
                continue;
            }
            byte[] bytes = new byte[(int) item.sizeBytes()];
            try (FSDataInputStream in = fs.open(new Path(item.path()))) {
                in.readFully(0, bytes);
            } catch (IOException e) {
                continue;
            }
            int[] hw = probe.probe(bytes);
            if (hw != null) {
                LOG.info("image size not given: using {}x{} of the first image {}", hw[0], hw[1], item.path());
                return new int[] {hw[0], hw[1], 3};
            }
        }
        throw new VisionLakeException("--image-size not given and none of the first 100 files of the source is a"
                + " readable image to take it from; pass --image-size HxW");
    }

    /** A few partitions per core for balance, and no partition so large that progress stalls between updates. */
    private static int partitions(IngestSettings settings, SourceScan scan, JavaSparkContext jsc) {
        int items = scan.items().size();
        if (scan.nativeShape() != null) {
            return Math.max(1, items);
        }
        int wanted = Math.max(
                jsc.defaultParallelism() * settings.partitionsPerCore(),
                (items + FILES_PER_PARTITION_MAX - 1) / FILES_PER_PARTITION_MAX);
        return Math.max(1, Math.min(items, wanted));
    }

    private static Metadata labelMetadata(List<String> labels, IngestSettings settings) {
        return new MetadataBuilder()
                .putStringArray(LABELS_METADATA_KEY, labels.toArray(new String[0]))
                .putLong(FORMAT_VERSION_METADATA_KEY, ImageSchema.VERSION)
                .putString("visionlake.source_format", settings.format().cliName())
                .build();
    }

    private record Dedup(Path data, long duplicates) {}

    /**
     * Keeps one row per content hash, the one with the smallest source path, so reruns keep the same copy. Reads
     * only the hash and path columns unless duplicates exist.
     */
    private Dedup dedup(Path decoded, StructType schema, Path data, DatasetPublisher publisher) {
        Dataset<Row> staged = spark.read().schema(schema).parquet(decoded.toString());
        Dataset<Row> groups = staged.groupBy(ImageSchema.CONTENT_HASH)
                .agg(count("*").as("copies"), min(ImageSchema.SOURCE_PATH).as("keep"))
                .where(col("copies").gt(1));
        List<Row> duplicated = groups.collectAsList();
        if (duplicated.isEmpty()) {
            return new Dedup(decoded, 0);
        }
        long duplicates = duplicated.stream().mapToLong(r -> r.getLong(1) - 1).sum();
        LOG.info(
                "duplicates: copies={} of distinct images={}; keeping the smallest source path of each",
                duplicates,
                duplicated.size());

        Dataset<Row> winners = spark.createDataFrame(duplicated, groups.schema())
                .select(col(ImageSchema.CONTENT_HASH).as("dup_hash"), col("keep"));
        Dataset<Row> kept = staged.join(
                        broadcast(winners),
                        staged.col(ImageSchema.CONTENT_HASH).equalTo(winners.col("dup_hash")),
                        "left")
                .where(col("keep").isNull().or(col(ImageSchema.SOURCE_PATH).equalTo(col("keep"))))
                .select(columns(schema));
        publisher.write(kept, data);
        return new Dedup(data, duplicates);
    }

    private static Column[] columns(StructType schema) {
        return java.util.Arrays.stream(schema.fieldNames())
                .map(name -> col(name))
                .toArray(Column[]::new);
    }

    /** A retried task may report a bad input twice; each input is one row of the table. */
    private static List<QuarantineRecord> distinct(List<QuarantineRecord> records) {
        Map<String, QuarantineRecord> byPath = new TreeMap<>();
        records.forEach(r -> byPath.putIfAbsent(r.sourcePath(), r));
        return new ArrayList<>(byPath.values());
    }

    private void writeQuarantine(List<QuarantineRecord> records, Path staged) {
        List<Row> rows = records.stream()
                .map(r -> RowFactory.create(r.sourcePath(), r.reason(), r.sizeBytes(), r.detail()))
                .toList();
        spark.createDataFrame(rows, QuarantineTable.schema())
                .coalesce(1)
                .write()
                .parquet(staged.toString());
        records.forEach(
                r -> LOG.warn("quarantined reason={} path={} detail={}", r.reason(), r.sourcePath(), r.detail()));
    }

    private static Map<String, Long> countByReason(List<QuarantineRecord> records) {
        Map<String, Long> counts = new TreeMap<>();
        records.forEach(r -> counts.merge(r.reason(), 1L, Long::sum));
        return counts;
    }

    private static DatasetPublisher.Draft draft(
            IngestSettings settings, SourceScan scan, String source, DatasetManifest.IngestCounts counts) {
        Map<String, Object> preprocessing =
                new LinkedHashMap<>(settings.preprocessing().describe());
        preprocessing.put("valFraction", scan.sourceHasVal() ? "from source" : settings.valFraction());
        preprocessing.put("testFraction", settings.testFraction());
        preprocessing.put("splitBy", "source folders/files, else SHA-256 of the content");
        preprocessing.put("dedup", "exact content hash, smallest source path kept");
        if (settings.format() == SourceFormat.FILENAME) {
            preprocessing.put("labelPattern", settings.labelPattern().pattern());
        }
        return new DatasetPublisher.Draft(
                settings.name(),
                "ingested",
                source,
                settings.format().cliName(),
                new DatasetManifest.Shape(settings.height(), settings.width(), settings.channels()),
                preprocessing,
                scan.labels(),
                counts,
                null);
    }

    private IngestResult result(
            IngestSettings settings, DatasetManifest manifest, DatasetManifest.IngestCounts counts, long started) {
        double seconds = (System.nanoTime() - started) / 1e9;
        double rate = seconds > 0 ? counts.read() / seconds : 0;
        LOG.info(
                "ingest done: dataset={} read={} written={} duplicates={} quarantined={} skipped={} seconds={}"
                        + " rate={} img/s",
                settings.name(),
                counts.read(),
                counts.written(),
                counts.duplicates(),
                counts.quarantined(),
                counts.skipped(),
                String.format("%.1f", seconds),
                String.format("%.0f", rate));
        return new IngestResult(
                settings.name(),
                lake.datasetPath(settings.name()).toString(),
                lake.quarantinePath(settings.name()).toString(),
                counts.read(),
                counts.written(),
                counts.duplicates(),
                counts.quarantined(),
                counts.skipped(),
                manifest.counts(),
                manifest.shape().toString(),
                manifest.fingerprint(),
                Math.round(seconds * 100) / 100.0,
                Math.round(rate * 10) / 10.0,
                manifest);
    }

    /** Logs images/s and ETA from the tasks' accumulator while the decode job runs. */
    private static final class ProgressPoller implements AutoCloseable {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ingest-progress");
            thread.setDaemon(true);
            return thread;
        });
        private final Progress progress;
        private final LongAccumulator done;
        private long reported;

        ProgressPoller(LongAccumulator done, long total) {
            this.done = done;
            this.progress = new Progress(LOG, "ingest", total, 5_000);
            timer.scheduleAtFixedRate(this::poll, 1, 1, TimeUnit.SECONDS);
        }

        private synchronized void poll() {
            long now = done.value();
            if (now > reported) {
                progress.advance(now - reported, "");
                reported = now;
            }
        }

        @Override
        public void close() {
            timer.shutdownNow();
            poll();
        }
    }
}
