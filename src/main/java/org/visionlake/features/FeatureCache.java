package org.visionlake.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.lake.ImageSchema;
import org.visionlake.lake.Json;
import org.visionlake.lake.Lake;
import org.visionlake.lake.LakeDatasets;
import org.visionlake.lake.Sha256;
import org.visionlake.models.Backbone;
import org.visionlake.models.ModelBytes;
import org.visionlake.progress.Progress;
import org.visionlake.train.ImageTensors;

/**
 * Activations of a frozen backbone layer for every image of a dataset, computed once on the executors and kept in
 * the lake ({@code features/<key>}: Parquet rows {@code id, label, split, features} plus {@code _features.json}).
 *
 * <p>The key is made of the model id and fingerprint, the dataset name and fingerprint, the layer and the input
 * shape, so retraining the model or re-ingesting the dataset gives a new entry, and anything else reuses the old one.
 */
public final class FeatureCache {
    public static final String MANIFEST = "_features.json";
    public static final int FORMAT_VERSION = 1;
    public static final String FEATURES = "features";
    private static final Logger LOG = LoggerFactory.getLogger(FeatureCache.class);
    private static final int BATCH = 64;

    /** Featurisations this JVM has run; the cache's reuse is visible in it. */
    private static final AtomicLong COMPUTATIONS = new AtomicLong();

    private final SparkSession spark;
    private final Lake lake;

    public FeatureCache(SparkSession spark, Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    /** A cache entry and whether this call computed it. */
    public record Entry(FeatureManifest manifest, Path path, boolean computed) {}

    public static long computations() {
        return COMPUTATIONS.get();
    }

    public static String key(Backbone backbone, DatasetManifest dataset, String layer) {
        String identity = String.join(
                "|",
                backbone.id(),
                backbone.fingerprint(),
                dataset.name(),
                dataset.fingerprint(),
                layer,
                backbone.inputShape().toString());
        String digest = Sha256.hexPrefix(identity, 16);
        String readable = (backbone.id() + "." + dataset.name() + "." + layer).replaceAll("[^A-Za-z0-9._-]", "_");
        return readable.length() > 100 ? "f-" + digest : readable + "." + digest;
    }

    /** The cached features of {@code layer} for dataset {@code datasetName}, computing them if absent. */
    public Entry features(Backbone backbone, String datasetName, String layer) {
        DatasetManifest dataset = new LakeDatasets(lake).manifest(datasetName);
        String key = key(backbone, dataset, layer);
        Path path = lake.featuresPath(key);
        Path manifestFile = new Path(path, MANIFEST);
        if (lake.exists(manifestFile)) {
            FeatureManifest cached = Json.read(lake.readText(manifestFile), FeatureManifest.class);
            LOG.info("feature cache hit key={} rows={} created={}", key, total(cached), cached.createdAt());
            return new Entry(cached, path, false);
        }
        return new Entry(compute(backbone, dataset, layer, key, path), path, true);
    }

    /** The feature rows of an entry. */
    public Dataset<Row> read(Entry entry) {
        return spark.read().schema(schema()).parquet(new Path(entry.path(), "data").toString());
    }

    public static StructType schema() {
        return new StructType(new StructField[] {
            new StructField(ImageSchema.ID, DataTypes.StringType, false, org.apache.spark.sql.types.Metadata.empty()),
            new StructField(
                    ImageSchema.LABEL, DataTypes.IntegerType, false, org.apache.spark.sql.types.Metadata.empty()),
            new StructField(
                    ImageSchema.SPLIT, DataTypes.StringType, false, org.apache.spark.sql.types.Metadata.empty()),
            new StructField(
                    FEATURES,
                    DataTypes.createArrayType(DataTypes.FloatType, false),
                    false,
                    org.apache.spark.sql.types.Metadata.empty())
        });
    }

    private FeatureManifest compute(Backbone backbone, DatasetManifest dataset, String layer, String key, Path path) {
        long images = dataset.total();
        LOG.info(
                "featurising dataset={} images={} model={} layer={} key={}",
                dataset.name(),
                images,
                backbone.id(),
                layer,
                key);
        COMPUTATIONS.incrementAndGet();
        Progress progress = new Progress(LOG, "featurise " + dataset.name(), images, 0);
        Path staging = lake.newStagingPath("features");
        try {
            JavaRDD<Row> rows = featurise(backbone, dataset, layer);
            spark.createDataFrame(rows, schema())
                    .write()
                    .mode(SaveMode.ErrorIfExists)
                    .parquet(new Path(staging, "data").toString());
            progress.advance(images, "layer=" + layer);

            Dataset<Row> written = spark.read().schema(schema()).parquet(new Path(staging, "data").toString());
            Map<String, Long> counts = new TreeMap<>();
            for (Row row : written.groupBy(ImageSchema.SPLIT).agg(count("*")).collectAsList()) {
                counts.put(row.getString(0), row.getLong(1));
            }
            int size = written.limit(1).collectAsList().get(0).getList(3).size();
            FeatureManifest manifest = new FeatureManifest(
                    FORMAT_VERSION,
                    key,
                    backbone.id(),
                    backbone.fingerprint(),
                    dataset.name(),
                    dataset.fingerprint(),
                    layer,
                    size,
                    backbone.inputShape(),
                    counts,
                    Instant.now().toString(),
                    progress.elapsedSeconds(),
                    progress.rate());
            lake.writeText(new Path(staging, MANIFEST), Json.write(manifest));
            lake.publish(staging, path);
            LOG.info(
                    "feature cache written key={} rows={} size={} seconds={} img_per_s={}",
                    key,
                    total(manifest),
                    size,
                    String.format("%.1f", manifest.computeSeconds()),
                    String.format("%.1f", manifest.imagesPerSecond()));
            return manifest;
        } finally {
            lake.deleteQuietly(staging);
        }
    }

    private JavaRDD<Row> featurise(Backbone backbone, DatasetManifest dataset, String layer) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<byte[]> model = jsc.broadcast(ModelBytes.of(backbone.graph(), false));
        ImageTensors tensors = new ImageTensors(backbone.inputShape(), backbone.normalization());
        return new LakeDatasets(lake)
                .read(spark, dataset.name())
                .select(
                        col(ImageSchema.ID),
                        col(ImageSchema.LABEL),
                        col(ImageSchema.SPLIT),
                        col(ImageSchema.HEIGHT),
                        col(ImageSchema.WIDTH),
                        col(ImageSchema.CHANNELS),
                        col(ImageSchema.PIXELS))
                .javaRDD()
                .mapPartitions(partition -> featurisePartition(model.value(), tensors, layer, partition));
    }

    private static Iterator<Row> featurisePartition(
            byte[] zip, ImageTensors tensors, String layer, Iterator<Row> partition) {
        List<Row> out = new ArrayList<>();
        if (!partition.hasNext()) {
            return out.iterator();
        }
        ComputationGraph graph = ModelBytes.restore(zip);
        List<Row> batch = new ArrayList<>(BATCH);
        while (partition.hasNext()) {
            batch.add(partition.next());
            if (batch.size() == BATCH || !partition.hasNext()) {
                out.addAll(featuriseBatch(graph, tensors, layer, batch));
                batch.clear();
            }
        }
        return out.iterator();
    }

    private static List<Row> featuriseBatch(
            ComputationGraph graph, ImageTensors tensors, String layer, List<Row> rows) {
        int n = rows.size();
        int length = tensors.length();
        float[] input = new float[n * length];
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            tensors.write((byte[]) r.get(6), r.getInt(3), r.getInt(4), r.getInt(5), input, i * length);
        }
        DatasetManifest.Shape shape = tensors.target();
        INDArray batch = Nd4j.create(input, new long[] {n, shape.channels(), shape.height(), shape.width()});
        INDArray activations = graph.feedForward(batch, false).get(layer).reshape(n, -1);
        List<Row> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] vector = activations.getRow(i).toFloatVector();
            Float[] boxed = new Float[vector.length];
            for (int j = 0; j < vector.length; j++) {
                boxed[j] = vector[j];
            }
            Row r = rows.get(i);
            out.add(RowFactory.create(r.getString(0), r.getInt(1), r.getString(2), boxed));
        }
        return out;
    }

    private static long total(FeatureManifest manifest) {
        return manifest.counts().values().stream().mapToLong(Long::longValue).sum();
    }
}
