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
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.visionlake.VisionLakeException;
import org.visionlake.features.FeatureCache;
import org.visionlake.features.ImageTensors;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.lake.ImageSchema;
import org.visionlake.lake.Lake;
import org.visionlake.lake.LakeDatasets;
import org.visionlake.models.Backbone;
import org.visionlake.models.BackboneSources;
import org.visionlake.nn.CifarNetworks;
import org.visionlake.nn.NetworkSpec;

/**
 * {@code visionlake experiment transfer}: for each target training size, three approaches with the same head and
 * epoch budget — the baseline CNN from scratch, the frozen backbone (head trained on cached features), and
 * fine-tuning (the frozen head's network with the backbone's top stage unfrozen, at a lower learning rate).
 *
 * <p>Target images are resized on the fly to the backbone's input ({@link ImageTensors}); all three approaches see
 * the same resized, identically normalised images.
 */
public final class TransferExperiment {
    public static final String SCRATCH = "scratch";
    public static final String FROZEN = "frozen";
    public static final String FINE_TUNE = "finetune";
    private static final Logger LOG = LoggerFactory.getLogger(TransferExperiment.class);
    private static final int EVAL_BATCH = 64;

    private final SparkSession spark;
    private final Lake lake;
    private final JavaSparkContext jsc;

    public TransferExperiment(SparkSession spark, Lake lake) {
        this.spark = spark;
        this.lake = lake;
        this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    /** The recorded run: its id and the per-approach results. */
    public record Outcome(String runId, FeatureCache.Entry features, List<Map<String, Object>> results) {}

    public Outcome run(TransferSettings s) {
        Backbone backbone = BackboneSources.resolve(lake, s.sourceModel(), s.fileInputSize());
        Map<String, Object> config = s.asMap();
        config.put(
                "backbone",
                Map.of(
                        "id",
                        backbone.id(),
                        "fingerprint",
                        backbone.fingerprint(),
                        "origin",
                        backbone.origin(),
                        "featureVertex",
                        backbone.featureVertex(),
                        "frozenBoundary",
                        backbone.frozenBoundary(),
                        "inputShape",
                        backbone.inputShape().toString()));
        RunRecorder run = RunRecorder.start(spark, lake, "transfer", config);
        MDC.put("run_id", run.runId());
        try {
            FeatureCache.Entry features = runAll(s, backbone, run);
            run.complete();
            return new Outcome(run.runId(), features, run.results());
        } catch (RuntimeException e) {
            run.fail(e);
            throw e;
        } finally {
            MDC.remove("run_id");
        }
    }

    private FeatureCache.Entry runAll(TransferSettings s, Backbone backbone, RunRecorder run) {
        DatasetManifest target = new LakeDatasets(lake).manifest(s.targetDataset());
        int numClasses = target.labels().size();
        requireCompatible(target, backbone);
        LOG.info(
                "transfer backbone={} origin={} target={} classes={} sizes={} feature_vertex={} boundary={}",
                backbone.id(),
                backbone.origin(),
                target.name(),
                numClasses,
                s.trainSizes(),
                backbone.featureVertex(),
                backbone.frozenBoundary());

        FeatureCache cache = new FeatureCache(spark, lake);
        FeatureCache.Entry features = cache.features(backbone, s.targetDataset(), backbone.featureVertex());
        Dataset<Row> featureRows = cache.read(features);

        Dataset<Row> all = new LakeDatasets(lake).read(spark, s.targetDataset());
        Subsets subsets = new Subsets(s.seed());
        Dataset<Row> pool = subsets.trainPool(all, target);
        Dataset<Row> val = subsets.atMost(subsets.validation(all, target), s.evalLimit(), numClasses, "val")
                .cache();
        Dataset<Row> test = subsets.atMost(
                        all.where(col(ImageSchema.SPLIT).equalTo(ImageSchema.TEST)), s.evalLimit(), numClasses, "test")
                .cache();
        Context ctx = new Context(
                s,
                backbone,
                numClasses,
                new ImageTensors(backbone.inputShape(), backbone.normalization()),
                new TransferNetworks(numClasses, s.hidden(), s.seed()),
                featureRows,
                val,
                test,
                run);

        for (int size : s.trainSizes()) {
            Dataset<Row> train = subsets.balanced(pool, size, numClasses, "train size " + size)
                    .cache();
            scratch(ctx, train, size);
            ComputationGraph head = frozen(ctx, train, size);
            fineTune(ctx, train, size, head);
            train.unpersist();
        }
        val.unpersist();
        test.unpersist();
        return features;
    }

    private record Context(
            TransferSettings s,
            Backbone backbone,
            int numClasses,
            ImageTensors tensors,
            TransferNetworks networks,
            Dataset<Row> featureRows,
            Dataset<Row> val,
            Dataset<Row> test,
            RunRecorder run) {
        JavaRDD<DataSet> batches(Dataset<Row> rows, int batchSize) {
            return ImageBatches.of(rows, tensors, numClasses, batchSize);
        }
    }

    private void scratch(Context c, Dataset<Row> train, int size) {
        long start = System.nanoTime();
        var shape = c.backbone().inputShape();
        NetworkSpec spec = NetworkSpec.cifar(
                        shape.height(), shape.width(), shape.channels(), c.numClasses(), 1, c.s().seed())
                .withLearningRate(c.s().learningRate());
        ComputationGraph net = c.networks().scratch(CifarNetworks.baselineCnn(spec), c.s().learningRate());
        SparkTrainer.Outcome outcome = trainOnSpark(c, "scratch size=" + size, net, train, size, c.s().stage1Epochs());
        record(c, SCRATCH, size, "stage1", outcome, start);
    }

    /** Trains the head on the cached features (on the driver: a few thousand vectors of a few dozen floats). */
    private ComputationGraph frozen(Context c, Dataset<Row> train, int size) {
        long start = System.nanoTime();
        DataSet trainFeatures = features(c, train);
        List<DataSet> valBatches = features(c, c.val()).batchBy(EVAL_BATCH);
        List<DataSet> testBatches = features(c, c.test()).batchBy(EVAL_BATCH);
        ComputationGraph head = c.networks().head(c.backbone().featureSize(), c.s().learningRate());

        List<EpochMetrics> epochs = new ArrayList<>();
        double trainSeconds = 0;
        for (int epoch = 1; epoch <= c.s().stage1Epochs(); epoch++) {
            long epochStart = System.nanoTime();
            trainFeatures.shuffle(c.s().seed() + epoch);
            for (DataSet batch : trainFeatures.batchBy(c.s().batchSize())) {
                head.fit(batch);
            }
            double seconds = (System.nanoTime() - epochStart) / 1e9;
            trainSeconds += seconds;
            Evaluation.Result onTrain = Evaluation.local(head, trainFeatures.batchBy(EVAL_BATCH));
            Evaluation.Result onVal = Evaluation.local(head, valBatches);
            epochs.add(new EpochMetrics(
                    epoch,
                    onTrain.loss(),
                    onTrain.accuracy(),
                    onVal.loss(),
                    onVal.accuracy(),
                    seconds,
                    size / seconds));
        }
        // The same head inside the full network: what gets deployed, and what the parameter counts describe.
        ComputationGraph full = c.networks().transfer(c.backbone(), c.backbone().featureVertex(), c.s().learningRate());
        TransferNetworks.copyHead(head, full);
        Evaluation.Result onTest = Evaluation.local(head, testBatches);
        record(c, FROZEN, size, "stage1", new SparkTrainer.Outcome(full, epochs, trainSeconds), onTest, start);
        return head;
    }

    private void fineTune(Context c, Dataset<Row> train, int size, ComputationGraph head) {
        long start = System.nanoTime();
        double lr = c.s().learningRate() * c.s().fineTuneFactor();
        ComputationGraph net = c.networks().transfer(c.backbone(), c.backbone().frozenBoundary(), lr);
        TransferNetworks.copyHead(head, net);
        SparkTrainer.Outcome outcome = trainOnSpark(c, "finetune size=" + size, net, train, size, c.s().stage2Epochs());
        record(c, FINE_TUNE, size, "stage2", outcome, start);
    }

    private SparkTrainer.Outcome trainOnSpark(
            Context c, String what, ComputationGraph net, Dataset<Row> train, int size, int epochs) {
        JavaRDD<DataSet> trainBatches =
                c.batches(train.orderBy(org.apache.spark.sql.functions.rand(c.s().seed())), c.s().batchSize());
        return new SparkTrainer(jsc, c.s().batchSize(), c.s().seed())
                .fit(
                        what,
                        net,
                        trainBatches,
                        c.batches(train, EVAL_BATCH),
                        c.batches(c.val(), EVAL_BATCH),
                        size,
                        epochs);
    }

    private void record(Context c, String approach, int size, String stage, SparkTrainer.Outcome o, long start) {
        Evaluation.Result onTest = Evaluation.onSpark(jsc, o.graph(), c.batches(c.test(), EVAL_BATCH));
        record(c, approach, size, stage, o, onTest, start);
    }

    private void record(
            Context c,
            String approach,
            int size,
            String stage,
            SparkTrainer.Outcome o,
            Evaluation.Result onTest,
            long start) {
        o.epochs().forEach(m -> c.run().epoch(approach, size, stage, m));
        EpochMetrics last = o.epochs().get(o.epochs().size() - 1);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("approach", approach);
        result.put("trainSize", size);
        result.put("epochs", o.epochs().size());
        result.put("trainableParams", TransferNetworks.trainableParams(o.graph()));
        result.put("totalParams", o.graph().numParams());
        result.put("valAccuracy", last.valAccuracy());
        result.put("testAccuracy", onTest.accuracy());
        result.put("testLoss", onTest.loss());
        result.put("testImages", onTest.count());
        result.put("trainSeconds", o.trainSeconds());
        result.put("wallSeconds", (System.nanoTime() - start) / 1e9);
        result.put("imagesPerSecond", (double) size * o.epochs().size() / o.trainSeconds());
        c.run().result(result);
        LOG.info(
                "approach done approach={} size={} test_acc={} trainable={} total={} wall_s={}",
                approach,
                size,
                String.format("%.4f", onTest.accuracy()),
                result.get("trainableParams"),
                result.get("totalParams"),
                String.format("%.1f", (double) result.get("wallSeconds")));
    }

    /** The cached feature vectors of {@code rows} (joined by id), collected as one DataSet. */
    private static DataSet features(Context c, Dataset<Row> rows) {
        List<Row> collected = c.featureRows()
                .join(rows.select(ImageSchema.ID), ImageSchema.ID)
                .orderBy(ImageSchema.ID)
                .select(ImageSchema.LABEL, FeatureCache.FEATURES)
                .collectAsList();
        int n = collected.size();
        int size = c.backbone().featureSize();
        float[] x = new float[n * size];
        float[] y = new float[n * c.numClasses()];
        for (int i = 0; i < n; i++) {
            List<Float> vector = collected.get(i).getList(1);
            for (int j = 0; j < size; j++) {
                x[i * size + j] = vector.get(j);
            }
            y[i * c.numClasses() + collected.get(i).getInt(0)] = 1f;
        }
        return new DataSet(Nd4j.create(x, new long[] {n, size}), Nd4j.create(y, new long[] {n, c.numClasses()}));
    }

    private static void requireCompatible(DatasetManifest target, Backbone backbone) {
        int channels = target.shape().channels();
        if (channels != backbone.inputShape().channels() && channels != 1) {
            throw new VisionLakeException(String.format(
                    "target dataset '%s' has %d channels but backbone %s takes %d; ingest the target as %s",
                    target.name(),
                    channels,
                    backbone.id(),
                    backbone.inputShape().channels(),
                    backbone.inputShape().channels() == 3 ? "RGB" : "grey"));
        }
        if (target.total(ImageSchema.TEST) == 0) {
            throw new VisionLakeException(String.format(
                    "target dataset '%s' has no test split (splits: %s); ingest it with a test split",
                    target.name(), target.counts().keySet()));
        }
    }
}
