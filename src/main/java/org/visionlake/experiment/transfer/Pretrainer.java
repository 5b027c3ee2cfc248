package org.visionlake.experiment.transfer;

import java.time.Instant;
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
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.visionlake.VisionLakeException;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.lake.ImageSchema;
import org.visionlake.lake.Lake;
import org.visionlake.lake.LakeDatasets;
import org.visionlake.models.ModelCard;
import org.visionlake.models.ModelRegistry;
import org.visionlake.models.Normalization;
import org.visionlake.nn.CifarNetworks;
import org.visionlake.nn.NetworkSpec;
import org.visionlake.runs.RunWriter;
import org.visionlake.train.SparkTrainer;
import org.visionlake.train.TrainingData;
import org.visionlake.train.TrainingEnvironment;
import org.visionlake.train.TrainingSettings;

/**
 * {@code visionlake pretrain}: trains a CIFAR ResNet on a source dataset of the lake on Spark and registers it as a
 * backbone, with the input statistics, labels, accuracies and lineage that transfer needs.
 */
public final class Pretrainer {
    public static final String EXPERIMENT = "pretrain";
    private static final Logger LOG = LoggerFactory.getLogger(Pretrainer.class);
    private static final int EVAL_BATCH = 64;

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
            long seed,
            int workers) {
        public Settings {
            if (blocks < 1 || epochs < 1 || batchSize < 1 || workers < 1 || !(learningRate > 0)) {
                throw new VisionLakeException(String.format(
                        "invalid pretrain settings: blocks, epochs, batch size and workers must be at least 1 and the"
                                + " learning rate positive; found blocks=%d epochs=%d batch=%d workers=%d lr=%s",
                        blocks, epochs, batchSize, workers, learningRate));
            }
        }

        TrainingSettings training() {
            return new TrainingSettings(
                    workers, batchSize, TransferSettings.AVERAGING_FREQUENCY, TransferSettings.PREFETCH, seed);
        }

        public String resolvedName() {
            return modelName != null ? modelName : dataset + "-resnet" + (6 * blocks + 2);
        }

        public Map<String, Object> asMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("dataset", dataset);
            map.put("model", resolvedName());
            map.put("blocks", blocks);
            map.put("epochs", epochs);
            map.put("batch_size", batchSize);
            map.put("learning_rate", learningRate);
            map.put("train_limit", trainLimit);
            map.put("eval_limit", evalLimit);
            map.put("seed", seed);
            map.put("workers", workers);
            map.put("averaging_frequency", TransferSettings.AVERAGING_FREQUENCY);
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
        return run(s, null);
    }

    /**
     * Pretrains as run {@code runId} (a fresh id when null). An earlier attempt of the same id that failed or died
     * is started over from the beginning: pretraining keeps no checkpoints.
     */
    public ModelCard run(Settings s, String runId) {
        TrainingEnvironment.requireKryo(spark.sparkContext().getConf());
        boolean fresh = runId == null;
        runId = fresh ? RunWriter.newRunId(EXPERIMENT) : runId;
        Map<String, Object> config = s.asMap();
        config.put("run_id", runId);
        RunWriter writer = fresh
                ? RunWriter.start(lake, EXPERIMENT, runId, config)
                : RunWriter.restart(lake, EXPERIMENT, runId, config);
        MDC.put("run", runId);
        try {
            config.put(
                    "threads_per_worker",
                    TrainingEnvironment.configureThreads(spark.sparkContext().getConf(), s.workers()));
            return train(s, writer);
        } catch (RuntimeException | Error e) {
            writer.fail(e);
            throw e;
        } finally {
            MDC.remove("run");
        }
    }

    private ModelCard train(Settings s, RunWriter writer) {
        long start = System.nanoTime();
        DatasetManifest manifest = new LakeDatasets(lake).manifest(s.dataset());
        int numClasses = manifest.labels().size();
        Dataset<Row> all = new LakeDatasets(lake).read(spark, s.dataset());
        Subsets subsets = new Subsets(s.seed());
        Dataset<Row> trainRows =
                subsets.balanced(subsets.trainPool(all, manifest), s.trainLimit(), numClasses, "train");
        Dataset<Row> valRows =
                subsets.atMost(subsets.validation(all, manifest), s.evalLimit(), numClasses, "validation");
        Dataset<Row> testRows = testRows(all, manifest, subsets, s, numClasses);

        TrainingData data = TrainingData.index(trainRows, manifest, s.training(), 0);
        Normalization normalization = data.stats().normalization();
        long evalImages = s.evalLimit() > 0 ? Math.min(s.evalLimit(), data.count()) : data.count();
        JavaRDD<DataSet> trainEval = data.subset(evalImages, EVAL_BATCH).cache();
        JavaRDD<DataSet> val = data.other(valRows, 0, EVAL_BATCH).cache();
        writer.timing("prepare_data", seconds(start));

        NetworkSpec spec = NetworkSpec.cifar(
                        manifest.shape().height(),
                        manifest.shape().width(),
                        manifest.shape().channels(),
                        numClasses,
                        s.blocks(),
                        s.seed())
                .withLearningRate(s.learningRate());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        SparkTrainer trainer =
                new SparkTrainer(jsc, "pretrain-" + s.resolvedName(), CifarNetworks.residual(spec), s.training());
        List<Row> metrics = new ArrayList<>();
        SparkTrainer.Score onVal = null;
        double trainSeconds = 0;
        long images = 0;
        try {
            for (int epoch = 0; epoch < s.epochs(); epoch++) {
                SparkTrainer.EpochResult result = trainer.trainEpoch(data, epoch, s.epochs(), s.learningRate());
                SparkTrainer.Score onTrain = trainer.evaluate(trainEval);
                onVal = trainer.evaluate(val);
                trainSeconds += result.seconds();
                images += result.images();
                metrics.add(RowFactory.create(
                        EXPERIMENT,
                        (int) data.count(),
                        EXPERIMENT,
                        epoch + 1,
                        onTrain.loss(),
                        onTrain.accuracy(),
                        onVal.loss(),
                        onVal.accuracy(),
                        result.seconds(),
                        result.imagesPerSecond()));
                LOG.info(
                        "epoch done: model={} epoch={}/{} train_loss={} val_loss={} val_accuracy={} img/s={}",
                        s.resolvedName(),
                        epoch + 1,
                        s.epochs(),
                        String.format("%.4f", onTrain.loss()),
                        String.format("%.4f", onVal.loss()),
                        String.format("%.4f", onVal.accuracy()),
                        String.format("%.1f", result.imagesPerSecond()));
            }
        } finally {
            trainEval.unpersist(false);
            val.unpersist(false);
        }
        writer.timing("train", trainSeconds);
        JavaRDD<DataSet> test = data.other(testRows, 0, EVAL_BATCH);
        SparkTrainer.Score onTest = trainer.evaluate(test);
        data.release();
        ComputationGraph net = trainer.network();

        Map<String, Object> lineage = new LinkedHashMap<>();
        lineage.put("run_id", writer.runId());
        lineage.put("config", s.asMap());
        ModelCard card = new ModelRegistry(lake)
                .register(
                        net,
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
                                onVal.accuracy(),
                                onTest.accuracy(),
                                net.numParams(),
                                null,
                                lineage));
        LOG.info("pretrain dataset={} train={} normalisation={}", s.dataset(), data.count(), normalization);

        Map<String, Object> result = TransferExperiment.resultRow(
                EXPERIMENT,
                data.count(),
                s.epochs(),
                net.numParams(),
                net.numParams(),
                onVal,
                onTest,
                trainSeconds,
                images,
                seconds(start));
        result.put("model", card.name());
        result.put("model_fingerprint", card.fingerprint());
        writer.writeTable(spark, "metrics", TransferExperiment.METRICS, metrics);
        writer.timing("total", seconds(start));
        writer.complete(Map.of("results", List.of(result)));
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

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
