package org.visionlake.experiment.transfer;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.visionlake.VisionLakeException;
import org.visionlake.features.FeatureCache;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.lake.ImageSchema;
import org.visionlake.lake.Lake;
import org.visionlake.lake.LakeDatasets;
import org.visionlake.models.Backbone;
import org.visionlake.models.BackboneSources;
import org.visionlake.nn.CifarNetworks;
import org.visionlake.nn.NetworkSpec;
import org.visionlake.runs.RunRecord;
import org.visionlake.runs.RunWriter;
import org.visionlake.train.ChannelStats;
import org.visionlake.train.SparkTrainer;
import org.visionlake.train.TrainingData;
import org.visionlake.train.TrainingEnvironment;

/**
 * {@code visionlake experiment transfer}: for each target training size, three approaches with the same head and
 * epoch budget — the baseline CNN from scratch, the frozen backbone (head trained on cached features), and
 * fine-tuning (the frozen head's network with the backbone's top stage unfrozen, at a lower learning rate).
 *
 * <p>Target images are resized on the fly to the backbone's input and normalised with the backbone's source
 * statistics ({@link TrainingData}); all three approaches see the same images.
 */
public final class TransferExperiment {
    public static final String EXPERIMENT = "transfer";
    public static final String SCRATCH = "scratch";
    public static final String FROZEN = "frozen";
    public static final String FINE_TUNE = "finetune";
    public static final String STAGE1 = "stage1";
    public static final String STAGE2 = "stage2";
    private static final Logger LOG = LoggerFactory.getLogger(TransferExperiment.class);
    private static final int EVAL_BATCH = 64;

    /** The run table {@code metrics}: one row per approach, training size, stage and epoch (1-based per stage). */
    public static final StructType METRICS = new StructType()
            .add("approach", DataTypes.StringType, false)
            .add("train_size", DataTypes.IntegerType, false)
            .add("stage", DataTypes.StringType, false)
            .add("epoch", DataTypes.IntegerType, false)
            .add("train_loss", DataTypes.DoubleType, false)
            .add("train_accuracy", DataTypes.DoubleType, false)
            .add("val_loss", DataTypes.DoubleType, false)
            .add("val_accuracy", DataTypes.DoubleType, false)
            .add("epoch_seconds", DataTypes.DoubleType, false)
            .add("images_per_second", DataTypes.DoubleType, false);

    private final SparkSession spark;
    private final Lake lake;
    private final JavaSparkContext jsc;

    public TransferExperiment(SparkSession spark, Lake lake) {
        this.spark = spark;
        this.lake = lake;
        this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    /** The recorded run: its record (with the per-approach results) and the feature cache entry it used. */
    public record Outcome(RunRecord record, FeatureCache.Entry features, List<Map<String, Object>> results) {
        public String runId() {
            return record.runId();
        }
    }

    public Outcome run(TransferSettings s) {
        return run(s, null);
    }

    /**
     * Runs the experiment as run {@code runId} (a fresh id when null). An earlier attempt of the same id that failed
     * or died is started over; the feature cache makes the frozen approach's rerun cheap.
     */
    public Outcome run(TransferSettings s, String requestedRunId) {
        TrainingEnvironment.requireKryo(spark.sparkContext().getConf());
        Backbone backbone = BackboneSources.resolve(lake, s.sourceModel(), s.fileInputSize());
        DatasetManifest target = new LakeDatasets(lake).manifest(s.targetDataset());
        requireCompatible(target, backbone);

        String runId = requestedRunId == null ? RunWriter.newRunId(EXPERIMENT) : requestedRunId;
        Map<String, Object> config = s.asMap();
        config.put("run_id", runId);
        config.put("backbone_id", backbone.id());
        config.put("backbone_fingerprint", backbone.fingerprint());
        config.put("backbone_origin", backbone.origin());
        config.put("feature_vertex", backbone.featureVertex());
        config.put("frozen_boundary", backbone.frozenBoundary());
        config.put("input_shape", backbone.inputShape().toString());
        config.put("target_fingerprint", target.fingerprint());
        config.put("classes", target.labels());
        RunWriter writer = requestedRunId == null
                ? RunWriter.start(lake, EXPERIMENT, runId, config)
                : RunWriter.restart(lake, EXPERIMENT, runId, config);
        MDC.put("run", runId);
        try {
            config.put(
                    "threads_per_worker",
                    TrainingEnvironment.configureThreads(spark.sparkContext().getConf(), s.workers()));
            Session session = new Session(s, backbone, target, writer);
            FeatureCache.Entry features = session.execute();
            writer.writeTable(spark, "metrics", METRICS, session.metrics);
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("results", session.results);
            metrics.put("feature_cache_key", features.manifest().key());
            metrics.put("features_computed", features.computed());
            return new Outcome(writer.complete(metrics), features, List.copyOf(session.results));
        } catch (RuntimeException | Error e) {
            writer.fail(e);
            throw e;
        } finally {
            MDC.remove("run");
        }
    }

    /** One run's data and the rows it records. */
    private final class Session {
        private final TransferSettings s;
        private final Backbone backbone;
        private final DatasetManifest target;
        private final RunWriter writer;
        private final int numClasses;
        private final TransferNetworks networks;
        private final List<Row> metrics = new ArrayList<>();
        private final List<Map<String, Object>> results = new ArrayList<>();
        private Dataset<Row> featureRows;
        private Dataset<Row> val;
        private Dataset<Row> test;

        Session(TransferSettings s, Backbone backbone, DatasetManifest target, RunWriter writer) {
            this.s = s;
            this.backbone = backbone;
            this.target = target;
            this.writer = writer;
            this.numClasses = target.labels().size();
            this.networks = new TransferNetworks(numClasses, s.hidden(), s.seed());
        }

        FeatureCache.Entry execute() {
            LOG.info(
                    "transfer backbone={} origin={} target={} classes={} sizes={} feature_vertex={} boundary={}",
                    backbone.id(),
                    backbone.origin(),
                    target.name(),
                    numClasses,
                    s.trainSizes(),
                    backbone.featureVertex(),
                    backbone.frozenBoundary());
            long start = System.nanoTime();
            FeatureCache cache = new FeatureCache(spark, lake);
            FeatureCache.Entry features = cache.features(backbone, s.targetDataset(), backbone.featureVertex());
            featureRows = cache.read(features);
            writer.timing("features", seconds(start));

            Dataset<Row> all = new LakeDatasets(lake).read(spark, s.targetDataset());
            Subsets subsets = new Subsets(s.seed());
            Dataset<Row> pool = subsets.trainPool(all, target);
            val = subsets.atMost(subsets.validation(all, target), s.evalLimit(), numClasses, "val")
                    .cache();
            test = subsets.atMost(
                            all.where(col(ImageSchema.SPLIT).equalTo(ImageSchema.TEST)),
                            s.evalLimit(),
                            numClasses,
                            "test")
                    .cache();
            try {
                for (int size : s.trainSizes()) {
                    long sizeStart = System.nanoTime();
                    Dataset<Row> train = subsets.balanced(pool, size, numClasses, "train size " + size);
                    trainSize(train, size);
                    writer.timing("size_" + size, seconds(sizeStart));
                }
            } finally {
                val.unpersist();
                test.unpersist();
            }
            writer.timing("total", seconds(start));
            return features;
        }

        private void trainSize(Dataset<Row> train, int size) {
            // The backbone's own statistics and input size for every approach, so all three see the same tensors.
            TrainingData data = TrainingData.index(
                    train, target, s.training(), 0, ChannelStats.of(backbone.normalization()), backbone.inputShape());
            Evaluations eval = new Evaluations(
                    data.subset(size, EVAL_BATCH).cache(),
                    data.other(val, 0, EVAL_BATCH).cache(),
                    data.other(test, 0, EVAL_BATCH).cache());
            try {
                scratch(data, eval, size);
                ComputationGraph head = frozen(train, size);
                fineTune(data, eval, size, head);
            } finally {
                eval.release();
                data.release();
            }
        }

        private void scratch(TrainingData data, Evaluations eval, int size) {
            long start = System.nanoTime();
            DatasetManifest.Shape shape = backbone.inputShape();
            NetworkSpec spec = NetworkSpec.cifar(
                            shape.height(), shape.width(), shape.channels(), numClasses, 1, s.seed())
                    .withLearningRate(s.learningRate());
            ComputationGraph net = networks.scratch(CifarNetworks.baselineCnn(spec), s.learningRate());
            trainOnSpark(SCRATCH, STAGE1, net, data, eval, size, s.stage1Epochs(), s.learningRate(), start);
        }

        private void fineTune(TrainingData data, Evaluations eval, int size, ComputationGraph head) {
            long start = System.nanoTime();
            double lr = s.learningRate() * s.fineTuneFactor();
            ComputationGraph net = networks.transfer(backbone, backbone.frozenBoundary(), lr);
            TransferNetworks.copyHead(head, net);
            trainOnSpark(FINE_TUNE, STAGE2, net, data, eval, size, s.stage2Epochs(), lr, start);
        }

        private void trainOnSpark(
                String approach,
                String stage,
                ComputationGraph net,
                TrainingData data,
                Evaluations eval,
                int size,
                int epochs,
                double lr,
                long start) {
            SparkTrainer trainer = new SparkTrainer(jsc, approach + "-" + size, net, s.training());
            SparkTrainer.Score onVal = null;
            double trainSeconds = 0;
            long images = 0;
            for (int epoch = 0; epoch < epochs; epoch++) {
                SparkTrainer.EpochResult result = trainer.trainEpoch(data, epoch, epochs, lr);
                SparkTrainer.Score onTrain = trainer.evaluate(eval.train());
                onVal = trainer.evaluate(eval.val());
                trainSeconds += result.seconds();
                images += result.images();
                epoch(approach, size, stage, epoch + 1, onTrain, onVal, result.seconds(), result.imagesPerSecond());
            }
            SparkTrainer.Score onTest = trainer.evaluate(eval.test());
            result(approach, size, epochs, trainer.network(), onVal, onTest, trainSeconds, images, start);
        }

        /** Trains the head on the cached features, on the driver: a few thousand vectors of a few dozen floats. */
        private ComputationGraph frozen(Dataset<Row> train, int size) {
            long start = System.nanoTime();
            DataSet trainFeatures = features(train);
            List<DataSet> trainBatches = trainFeatures.batchBy(EVAL_BATCH);
            List<DataSet> valBatches = features(val).batchBy(EVAL_BATCH);
            List<DataSet> testBatches = features(test).batchBy(EVAL_BATCH);
            ComputationGraph head = networks.head(backbone.featureSize(), s.learningRate());

            SparkTrainer.Score onVal = null;
            double trainSeconds = 0;
            for (int epoch = 1; epoch <= s.stage1Epochs(); epoch++) {
                long epochStart = System.nanoTime();
                trainFeatures.shuffle(s.seed() + epoch);
                for (DataSet batch : trainFeatures.batchBy(s.batchSize())) {
                    head.fit(batch);
                }
                double seconds = (System.nanoTime() - epochStart) / 1e9;
                trainSeconds += seconds;
                SparkTrainer.Score onTrain = SparkTrainer.scoreOnDriver(head, trainBatches);
                onVal = SparkTrainer.scoreOnDriver(head, valBatches);
                epoch(FROZEN, size, STAGE1, epoch, onTrain, onVal, seconds, size / seconds);
            }
            // The same head inside the full network: what gets deployed, and what the parameter counts describe.
            ComputationGraph full = networks.transfer(backbone, backbone.featureVertex(), s.learningRate());
            TransferNetworks.copyHead(head, full);
            SparkTrainer.Score onTest = SparkTrainer.scoreOnDriver(head, testBatches);
            long images = (long) size * s.stage1Epochs();
            result(FROZEN, size, s.stage1Epochs(), full, onVal, onTest, trainSeconds, images, start);
            return head;
        }

        private void epoch(
                String approach,
                int size,
                String stage,
                int epoch,
                SparkTrainer.Score onTrain,
                SparkTrainer.Score onVal,
                double seconds,
                double imagesPerSecond) {
            metrics.add(RowFactory.create(
                    approach,
                    size,
                    stage,
                    epoch,
                    onTrain.loss(),
                    onTrain.accuracy(),
                    onVal.loss(),
                    onVal.accuracy(),
                    seconds,
                    imagesPerSecond));
            LOG.info(
                    "epoch done: approach={} size={} stage={} epoch={} train_loss={} train_accuracy={} val_loss={}"
                            + " val_accuracy={} epoch_time={}s img/s={}",
                    approach,
                    size,
                    stage,
                    epoch,
                    fmt(onTrain.loss()),
                    fmt(onTrain.accuracy()),
                    fmt(onVal.loss()),
                    fmt(onVal.accuracy()),
                    fmt(seconds),
                    fmt(imagesPerSecond));
        }

        private void result(
                String approach,
                int size,
                int epochs,
                ComputationGraph net,
                SparkTrainer.Score onVal,
                SparkTrainer.Score onTest,
                double trainSeconds,
                long images,
                long start) {
            Map<String, Object> result = resultRow(
                    approach,
                    size,
                    epochs,
                    TransferNetworks.trainableParams(net),
                    net.numParams(),
                    onVal,
                    onTest,
                    trainSeconds,
                    images,
                    seconds(start));
            results.add(result);
            LOG.info(
                    "approach done: approach={} size={} test_accuracy={} trainable={} total={} wall={}s",
                    approach,
                    size,
                    fmt(onTest.accuracy()),
                    result.get("trainable_params"),
                    result.get("total_params"),
                    fmt((double) result.get("wall_seconds")));
        }

        /** The cached feature vectors of {@code rows} (joined by id), collected as one DataSet. */
        private DataSet features(Dataset<Row> rows) {
            List<Row> collected = featureRows
                    .join(rows.select(ImageSchema.ID), ImageSchema.ID)
                    .orderBy(ImageSchema.ID)
                    .select(ImageSchema.LABEL, FeatureCache.FEATURES)
                    .collectAsList();
            int n = collected.size();
            int size = backbone.featureSize();
            float[] x = new float[n * size];
            float[] y = new float[n * numClasses];
            for (int i = 0; i < n; i++) {
                List<Float> vector = collected.get(i).getList(1);
                for (int j = 0; j < size; j++) {
                    x[i * size + j] = vector.get(j);
                }
                y[i * numClasses + collected.get(i).getInt(0)] = 1f;
            }
            return new DataSet(Nd4j.create(x, new long[] {n, size}), Nd4j.create(y, new long[] {n, numClasses}));
        }
    }

    /** Minibatches of the evaluation sets of one training size, cached for all epochs of all approaches. */
    private record Evaluations(JavaRDD<DataSet> train, JavaRDD<DataSet> val, JavaRDD<DataSet> test) {
        void release() {
            train.unpersist(false);
            val.unpersist(false);
            test.unpersist(false);
        }
    }

    private static void requireCompatible(DatasetManifest target, Backbone backbone) {
        int channels = target.shape() == null ? -1 : target.shape().channels();
        if (channels != backbone.inputShape().channels() && channels != 1) {
            throw new VisionLakeException(String.format(
                    "target dataset '%s' has images of shape %s but backbone %s takes %d channels; ingest the"
                            + " target as %s with one common size (--resize)",
                    target.name(),
                    target.shape(),
                    backbone.id(),
                    backbone.inputShape().channels(),
                    backbone.inputShape().channels() == 3 ? "RGB" : "grey"));
        }
        if (target.total(ImageSchema.TEST) == 0) {
            throw new VisionLakeException(String.format(
                    "target dataset '%s' has no test split (splits: %s); ingest it with a test split"
                            + " (visionlake ingest --test-fraction)",
                    target.name(), target.counts().keySet()));
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static String fmt(double value) {
        return String.format("%.4f", value);
    }

    /**
     * One entry of a run's {@code results}: the keys the report's transfer section reads, shared by the three
     * approaches and by pretraining.
     */
    static Map<String, Object> resultRow(
            String approach,
            long trainSize,
            int epochs,
            long trainableParams,
            long totalParams,
            SparkTrainer.Score onVal,
            SparkTrainer.Score onTest,
            double trainSeconds,
            long images,
            double wallSeconds) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("approach", approach);
        result.put("train_size", trainSize);
        result.put("epochs", epochs);
        result.put("trainable_params", trainableParams);
        result.put("total_params", totalParams);
        result.put("val_accuracy", onVal.accuracy());
        result.put("test_accuracy", onTest.accuracy());
        result.put("test_loss", onTest.loss());
        result.put("test_images", onTest.images());
        result.put("train_seconds", trainSeconds);
        result.put("wall_seconds", wallSeconds);
        result.put("images_per_second", images / trainSeconds);
        return result;
    }
}
