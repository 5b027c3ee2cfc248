package org.visionlake.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visionlake.VisionLakeException;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.lake.ImageSchema;
import scala.Tuple2;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The training split of a lake dataset as Spark sees it during training: images indexed 0..n-1 in id order (kept in
 * executor memory for the whole run), the channel statistics, and per epoch an RDD of minibatches laid out by an
 * {@link EpochPlan}. Nothing but the 2 x channels statistics and the probe batch ever reaches the driver.
 */
public final class TrainingData {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingData.class);
    private static final ClassTag<DataSet> DATASET_TAG = ClassTag$.MODULE$.apply(DataSet.class);

    private final JavaSparkContext sc;
    private final DatasetManifest manifest;
    private final TrainingSettings settings;
    private final JavaRDD<LabelledImage> images;
    private final long count;
    private final ChannelStats stats;
    private final DatasetManifest.Shape networkInput;

    private TrainingData(
            JavaSparkContext sc,
            DatasetManifest manifest,
            TrainingSettings settings,
            JavaRDD<LabelledImage> images,
            long count,
            ChannelStats stats,
            DatasetManifest.Shape networkInput) {
        this.sc = sc;
        this.manifest = manifest;
        this.settings = settings;
        this.images = images;
        this.count = count;
        this.stats = stats;
        this.networkInput = networkInput;
    }

    /**
     * Indexes {@code rows} (one split of {@code manifest}'s dataset) and computes its channel statistics.
     *
     * @param limit keep only this many images, chosen by the seed (0 keeps all)
     */
    public static TrainingData index(
            Dataset<Row> rows, DatasetManifest manifest, TrainingSettings settings, long limit) {
        return index(rows, manifest, settings, limit, null, manifest.shape());
    }

    /**
     * Indexes {@code rows} for a network that was trained elsewhere: a pretrained backbone expects its inputs
     * normalised with its own source statistics ({@code fixedStats}) and at its own input size ({@code
     * networkInput}, images are resized on the fly). A null {@code fixedStats} computes them from {@code rows}.
     */
    public static TrainingData index(
            Dataset<Row> rows,
            DatasetManifest manifest,
            TrainingSettings settings,
            long limit,
            ChannelStats fixedStats,
            DatasetManifest.Shape networkInput) {
        JavaRDD<LabelledImage> images = indexImages(rows, settings.seed(), limit);
        images.persist(StorageLevel.MEMORY_AND_DISK());
        long count = images.count();
        if (count == 0) {
            throw new VisionLakeException("dataset '" + manifest.name() + "' has no training images to train on");
        }
        ChannelStats stats = fixedStats != null
                ? fixedStats
                : ChannelStats.compute(images, manifest.shape().channels());
        LOG.info(
                "training data indexed: dataset={} images={} channel_stats=[{}] network_input={}",
                manifest.name(),
                count,
                stats,
                networkInput);
        JavaSparkContext sc =
                JavaSparkContext.fromSparkContext(rows.sparkSession().sparkContext());
        return new TrainingData(sc, manifest, settings, images, count, stats, networkInput);
    }

    /** Images of {@code rows}, optionally a seeded subset, numbered 0..n-1 in (id, source path) order. */
    static JavaRDD<LabelledImage> indexImages(Dataset<Row> rows, long seed, long limit) {
        Dataset<Row> chosen = rows;
        if (limit > 0) {
            chosen = chosen.orderBy(xxhash64(col(ImageSchema.ID), lit(seed))).limit((int) Math.min(limit, 1L << 30));
        }
        return chosen.orderBy(col(ImageSchema.ID), col(ImageSchema.SOURCE_PATH))
                .select(ImageSchema.LABEL, ImageSchema.PIXELS)
                .javaRDD()
                .zipWithIndex()
                .map(pair -> new LabelledImage(
                        pair._2(), pair._1().getInt(0), (byte[]) pair._1().get(1)));
    }

    public long count() {
        return count;
    }

    public ChannelStats stats() {
        return stats;
    }

    public DatasetManifest manifest() {
        return manifest;
    }

    public EpochPlan plan() {
        return new EpochPlan(count, settings);
    }

    /**
     * The minibatches of epoch {@code epoch} (0-based) in the layout of {@link #plan()}: one Spark shuffle moves each
     * image to the partition of its worker and round, sorted by its position in the epoch's seeded order.
     */
    public JavaRDD<DataSet> epoch(int epoch) {
        EpochPlan plan = plan();
        Broadcast<int[]> positions = sc.broadcast(shuffledPositions(count, settings.seed(), epoch));
        Minibatches toBatches = minibatches(settings.batchSizePerWorker(), false);
        return images.mapToPair(image -> new Tuple2<>((long) positions.value()[(int) image.index], image))
                .filter(pair -> plan.partitionOf(pair._1()) >= 0)
                .repartitionAndSortWithinPartitions(new EpochPartitioner(plan))
                .values()
                .mapPartitions(toBatches);
    }

    /** The partitions of one averaging round of an epoch RDD: one per worker, nothing else is computed. */
    public JavaRDD<DataSet> round(JavaRDD<DataSet> epochBatches, int round) {
        PartitionPruningRDD<DataSet> pruned =
                PartitionPruningRDD.create(epochBatches.rdd(), new RoundPartitions(round, settings.workers()));
        return new JavaRDD<>(pruned, DATASET_TAG);
    }

    /** The first {@code limit} images in index order as minibatches, for evaluation on the training split. */
    public JavaRDD<DataSet> subset(long limit, int batchSize) {
        Minibatches toBatches = minibatches(batchSize, true);
        return images.filter(image -> image.index < limit).mapPartitions(toBatches);
    }

    /** Rows of another split of the same dataset, normalised with this split's statistics. */
    public JavaRDD<DataSet> other(Dataset<Row> rows, long limit, int batchSize) {
        Minibatches toBatches = minibatches(batchSize, true);
        return indexImages(rows, settings.seed(), limit).mapPartitions(toBatches);
    }

    /**
     * A fixed batch of {@code size} training images chosen by the seed: the same images for every network and
     * every epoch, so that gradient measurements compare. Only these images are collected to the driver.
     */
    public DataSet probeBatch(int size) {
        Set<Long> chosen = new HashSet<>();
        Random random = new Random(settings.seed() * 31 + 17);
        int wanted = (int) Math.min(size, count);
        while (chosen.size() < wanted) {
            chosen.add((long) random.nextInt((int) count));
        }
        List<LabelledImage> probe = new ArrayList<>(
                images.filter(image -> chosen.contains(image.index)).collect());
        probe.sort(Comparator.comparingLong(image -> image.index));
        return minibatches(wanted, true).toDataSet(probe);
    }

    public void release() {
        images.unpersist(false);
    }

    private Minibatches minibatches(int batchSize, boolean keepPartial) {
        return new Minibatches(manifest.shape(), networkInput, manifest.labels().size(), stats, batchSize, keepPartial);
    }

    /** positions[i] is where image i comes in the epoch: a Fisher-Yates permutation seeded by seed and epoch. */
    static int[] shuffledPositions(long count, long seed, int epoch) {
        int n = (int) count;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(seed * 1_000_003L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        int[] positions = new int[n];
        for (int position = 0; position < n; position++) {
            positions[order[position]] = position;
        }
        return positions;
    }
}
