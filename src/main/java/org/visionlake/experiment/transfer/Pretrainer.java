package org.visionlake.experiment.transfer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visionlake.VisionLakeException;
import org.visionlake.features.ImageTensors;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.lake.ImageSchema;
import org.visionlake.lake.Lake;
import org.visionlake.lake.LakeDatasets;
import org.visionlake.models.ModelCard;
import org.visionlake.models.ModelRegistry;
import org.visionlake.models.Normalization;
import org.visionlake.nn.CifarNetworks;
import org.visionlake.nn.NetworkSpec;

/**
 * {@code visionlake pretrain}: trains a CIFAR ResNet on a source dataset of the lake on Spark and registers it as a
 * backbone, with the input statistics, labels, accuracies and lineage that transfer needs.
 */
public final class Pretrainer {
    private static final Logger LOG = LoggerFactory.getLogger(Pretrainer.class);

    /**
     * @param trainLimit class-balanced training images to use, 0 for the whole train split
     * @param evalLimit class-balanced images of val and test (and of train, for the per-epoch train metrics)
     */
    public record Settings(
            String dataset,
            String modelName,
            int blocks,
            int epochs,
            int batchSize,
            double learningRate,
            int trainLimit,
            int evalLimit,
            long seed) {
        public Settings {
            if (blocks < 1 || epochs < 1 || batchSize < 1 || !(learningRate > 0)) {
                throw new VisionLakeException(String.format(
                        "invalid pretrain settings: blocks, epochs and batch size must be at least 1 and the learning"
                                + " rate positive; found blocks=%d epochs=%d batch=%d lr=%s",
                        blocks, epochs, batchSize, learningRate));
            }
        }

        public String resolvedName() {
            return modelName != null ? modelName : dataset + "-resnet" + (6 * blocks + 2);
        }

        Map<String, Object> asMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("dataset", dataset);
            map.put("model", resolvedName());
            map.put("blocks", blocks);
            map.put("epochs", epochs);
            map.put("batchSize", batchSize);
            map.put("learningRate", learningRate);
            map.put("trainLimit", trainLimit);
            map.put("evalLimit", evalLimit);
            map.put("seed", seed);
            return map;
        }
    }

    private final SparkSession spark;
    private final Lake lake;

    public Pretrainer(SparkSession spark, Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    public ModelCard run(Settings s) {
        RunRecorder run = RunRecorder.start(spark, lake, "pretrain", s.asMap());
        try {
            ModelCard card = train(s, run);
            run.complete();
            return card;
        } catch (RuntimeException e) {
            run.fail(e);
            throw e;
        }
    }

    private ModelCard train(Settings s, RunRecorder run) {
        DatasetManifest manifest = new LakeDatasets(lake).manifest(s.dataset());
        int numClasses = manifest.labels().size();
        Dataset<Row> all = new LakeDatasets(lake).read(spark, s.dataset());
        Subsets subsets = new Subsets(s.seed());
        Dataset<Row> train = subsets.balanced(subsets.trainPool(all, manifest), s.trainLimit(), numClasses, "train");
        Dataset<Row> val = subsets.atMost(subsets.validation(all, manifest), s.evalLimit(), numClasses, "validation");
        Dataset<Row> test = testRows(all, manifest, subsets, s, numClasses);

        Normalization normalization =
                ChannelStatistics.of(train, manifest.shape().channels());
        LOG.info("pretrain dataset={} train={} normalisation={}", s.dataset(), train.count(), normalization);
        ImageTensors tensors = new ImageTensors(manifest.shape(), normalization);
        NetworkSpec spec = NetworkSpec.cifar(
                        manifest.shape().height(),
                        manifest.shape().width(),
                        manifest.shape().channels(),
                        numClasses,
                        s.blocks(),
                        s.seed())
                .withLearningRate(s.learningRate());
        ComputationGraph net = CifarNetworks.residual(spec);

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        long trainCount = train.count();
        SparkTrainer.Outcome outcome = new SparkTrainer(jsc, s.batchSize(), s.seed())
                .fit(
                        "pretrain " + s.resolvedName(),
                        net,
                        ImageBatches.of(
                                train.orderBy(org.apache.spark.sql.functions.rand(s.seed())),
                                tensors,
                                numClasses,
                                s.batchSize()),
                        ImageBatches.of(
                                subsets.atMost(train, s.evalLimit(), numClasses, "train evaluation"),
                                tensors,
                                numClasses,
                                64),
                        ImageBatches.of(val, tensors, numClasses, 64),
                        trainCount,
                        s.epochs());
        outcome.epochs().forEach(m -> run.epoch("pretrain", (int) trainCount, "pretrain", m));
        Evaluation.Result onTest =
                Evaluation.onSpark(jsc, outcome.graph(), ImageBatches.of(test, tensors, numClasses, 64));
        EpochMetrics last = outcome.epochs().get(outcome.epochs().size() - 1);

        Map<String, Object> lineage = new LinkedHashMap<>();
        lineage.put("runId", run.runId());
        lineage.put("config", s.asMap());
        ModelCard card = new ModelRegistry(lake)
                .register(
                        outcome.graph(),
                        new ModelCard(
                                ModelRegistry.FORMAT_VERSION,
                                s.resolvedName(),
                                Instant.now().toString(),
                                "cifar-resnet-" + spec.depth(),
                                s.dataset(),
                                manifest.fingerprint(),
                                manifest.shape(),
                                manifest.labels(),
                                normalization,
                                last.valAccuracy(),
                                onTest.accuracy(),
                                outcome.graph().numParams(),
                                null,
                                lineage));

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("approach", "pretrain");
        result.put("model", card.name());
        result.put("trainSize", trainCount);
        result.put("totalParams", outcome.graph().numParams());
        result.put("trainableParams", outcome.graph().numParams());
        result.put("valAccuracy", last.valAccuracy());
        result.put("testAccuracy", onTest.accuracy());
        result.put("testLoss", onTest.loss());
        result.put("trainSeconds", outcome.trainSeconds());
        result.put("imagesPerSecond", trainCount * s.epochs() / outcome.trainSeconds());
        run.result(result);
        return card;
    }

    private static Dataset<Row> testRows(
            Dataset<Row> all, DatasetManifest manifest, Subsets subsets, Settings s, int numClasses) {
        if (manifest.total(ImageSchema.TEST) == 0) {
            throw new VisionLakeException(String.format(
                    "dataset '%s' has no test split (splits: %s); ingest it with a test split",
                    s.dataset(), manifest.counts().keySet()));
        }
        Dataset<Row> test =
                all.where(org.apache.spark.sql.functions.col(ImageSchema.SPLIT).equalTo(ImageSchema.TEST));
        return subsets.atMost(test, s.evalLimit(), numClasses, "test");
    }

    static List<Double> list(double[] values) {
        List<Double> out = new ArrayList<>();
        for (double v : values) {
            out.add(v);
        }
        return out;
    }
}
