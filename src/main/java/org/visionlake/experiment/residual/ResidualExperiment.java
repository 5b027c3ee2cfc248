package org.visionlake.experiment.residual;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.conf.inputs.InputType;
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
import org.visionlake.nn.CifarNetworks;
import org.visionlake.nn.NetworkSpec;
import org.visionlake.runs.RunRecord;
import org.visionlake.runs.RunWriter;
import org.visionlake.train.GradientFlow;
import org.visionlake.train.ModelSummary;
import org.visionlake.train.SparkTrainer;
import org.visionlake.train.TrainingData;
import org.visionlake.train.TrainingEnvironment;

/**
 * Plain vs residual: the same CIFAR-style network with and without identity shortcuts, trained on Spark by
 * parameter averaging from the same seed and data order, with training curves and the gradient reaching every
 * weight layer at initialisation and after each epoch. Results go into the lake as one run (see data-lake/README.md).
 */
public final class ResidualExperiment {
    public static final List<String> NETWORKS = List.of("plain", "residual");
    private static final Logger LOG = LoggerFactory.getLogger(ResidualExperiment.class);

    static final StructType METRICS = new StructType()
            .add("network", DataTypes.StringType, false)
            .add("epoch", DataTypes.IntegerType, false)
            .add("learning_rate", DataTypes.DoubleType, false)
            .add("train_loss", DataTypes.DoubleType, false)
            .add("train_accuracy", DataTypes.DoubleType, false)
            .add("val_loss", DataTypes.DoubleType, false)
            .add("val_accuracy", DataTypes.DoubleType, false)
            .add("epoch_seconds", DataTypes.DoubleType, false)
            .add("images_per_second", DataTypes.DoubleType, false)
            .add("train_images", DataTypes.LongType, false);

    static final StructType GRADIENTS = new StructType()
            .add("network", DataTypes.StringType, false)
            .add("epoch", DataTypes.IntegerType, false)
            .add("layer", DataTypes.StringType, false)
            .add("depth", DataTypes.IntegerType, false)
            .add("mean_abs_gradient", DataTypes.DoubleType, false)
            .add("update_ratio", DataTypes.DoubleType, false);

    private final SparkSession spark;
    private final Lake lake;
    private final LakeDatasets datasets;

    public ResidualExperiment(SparkSession spark, Lake lake) {
        this.spark = spark;
        this.lake = lake;
        this.datasets = new LakeDatasets(lake);
    }

    /** What {@link #check} found out about the dataset. */
    record Plan(DatasetManifest manifest, String valSplit, long trainImages, long valImages) {}

    /** Runs the experiment; the returned record says complete, or the exception says why it failed. */
    public RunRecord run(ResidualConfig config) {
        Plan plan = check(config);
        checkShapes(config, plan);
        String runId = config.runId() != null ? config.runId() : RunWriter.newRunId(ResidualConfig.EXPERIMENT);
        Map<String, Object> effective = config.asMap();
        effective.put("run_id", runId);
        effective.put("val_split", plan.valSplit());
        effective.put("input_shape", plan.manifest().shape().toString());
        effective.put("classes", plan.manifest().labels());
        effective.put("dataset_fingerprint", plan.manifest().fingerprint());
        effective.put("spark_master", spark.sparkContext().master());

        RunWriter writer = RunWriter.start(lake, ResidualConfig.EXPERIMENT, runId, effective);
        MDC.put("run", runId);
        try {
            effective.put(
                    "threads_per_worker",
                    TrainingEnvironment.configureThreads(spark.sparkContext().getConf(), config.workers()));
            LOG.info("residual experiment settings: {}", effective);
            return new Session(config, plan, writer).execute();
        } catch (RuntimeException | Error e) {
            writer.fail(e);
            throw e;
        } finally {
            MDC.remove("run");
        }
    }

    /** Every check that needs only the manifest: fails with a clear message before any Spark job. */
    Plan check(ResidualConfig config) {
        TrainingEnvironment.requireKryo(spark.sparkContext().getConf());
        DatasetManifest manifest = datasets.manifest(config.dataset());
        if (manifest.shape() == null) {
            throw new VisionLakeException(String.format(
                    "dataset '%s' has images of different shapes (its manifest records no common shape); the"
                            + " networks need one input shape: re-ingest it with a resize, e.g. --resize 32x32",
                    manifest.name()));
        }
        long train = manifest.total(ImageSchema.TRAIN);
        if (train == 0) {
            throw new VisionLakeException(String.format(
                    "dataset '%s' has no '%s' split to train on; its splits are %s",
                    manifest.name(), ImageSchema.TRAIN, manifest.counts().keySet()));
        }
        String valSplit = manifest.total(ImageSchema.VAL) > 0
                ? ImageSchema.VAL
                : manifest.total(ImageSchema.TEST) > 0 ? ImageSchema.TEST : null;
        if (valSplit == null) {
            throw new VisionLakeException(String.format(
                    "dataset '%s' has neither a 'val' nor a 'test' split to validate on; its splits are %s",
                    manifest.name(), manifest.counts().keySet()));
        }
        long trainImages = config.trainLimit() > 0 ? Math.min(config.trainLimit(), train) : train;
        if (config.batchSize() > trainImages) {
            throw new VisionLakeException(String.format(
                    "--batch-size %d is larger than the training split of dataset '%s' (%d images%s); use a"
                            + " batch size of at most %d",
                    config.batchSize(),
                    manifest.name(),
                    trainImages,
                    config.trainLimit() > 0 ? " after --train-limit" : "",
                    trainImages));
        }
        long val = manifest.total(valSplit);
        long valImages = config.valLimit() > 0 ? Math.min(config.valLimit(), val) : val;
        new NetworkSpec(
                manifest.shape().height(),
                manifest.shape().width(),
                manifest.shape().channels(),
                manifest.labels().size(),
                config.blocks(),
                config.seed(),
                config.learningRate(),
                ResidualConfig.MOMENTUM,
                ResidualConfig.WEIGHT_DECAY);
        return new Plan(manifest, valSplit, trainImages, valImages);
    }

    /** A cheap aggregation over the shape columns: every row must have the manifest's shape. */
    void checkShapes(ResidualConfig config, Plan plan) {
        Row range = datasets.read(spark, config.dataset())
                .agg(
                        min(col(ImageSchema.HEIGHT)), max(col(ImageSchema.HEIGHT)),
                        min(col(ImageSchema.WIDTH)), max(col(ImageSchema.WIDTH)),
                        min(col(ImageSchema.CHANNELS)), max(col(ImageSchema.CHANNELS)))
                .first();
        DatasetManifest.Shape shape = plan.manifest().shape();
        int[] expected = {
            shape.height(), shape.height(), shape.width(), shape.width(), shape.channels(), shape.channels()
        };
        for (int i = 0; i < expected.length; i++) {
            if (range.getInt(i) != expected[i]) {
                throw new VisionLakeException(String.format(
                        "dataset '%s' says its images are %s (height x width x channels) but its rows have"
                                + " heights %d-%d, widths %d-%d and channels %d-%d; re-ingest it with a resize so"
                                + " that all images share one shape",
                        config.dataset(),
                        shape,
                        range.getInt(0),
                        range.getInt(1),
                        range.getInt(2),
                        range.getInt(3),
                        range.getInt(4),
                        range.getInt(5)));
            }
        }
    }

    /** One run in progress: the data, both networks, and the rows that go into the run folder. */
    private final class Session {
        private final ResidualConfig config;
        private final Plan plan;
        private final RunWriter writer;
        private final List<Row> metrics = new ArrayList<>();
        private final List<Row> gradients = new ArrayList<>();
        private final Map<String, Object> finals = new LinkedHashMap<>();

        Session(ResidualConfig config, Plan plan, RunWriter writer) {
            this.config = config;
            this.plan = plan;
            this.writer = writer;
        }

        RunRecord execute() {
            long start = System.nanoTime();
            TrainingData data = TrainingData.index(
                    datasets.readSplit(spark, config.dataset(), ImageSchema.TRAIN),
                    plan.manifest(),
                    config.training(),
                    config.trainLimit());
            JavaRDD<DataSet> val = data.other(
                            datasets.readSplit(spark, config.dataset(), plan.valSplit()),
                            config.valLimit(),
                            config.batchSize())
                    .cache();
            JavaRDD<DataSet> trainEval =
                    data.subset(config.trainEvalImages(), config.batchSize()).cache();
            DataSet probe = data.probeBatch(config.probeImages());
            writer.timing("prepare_data", seconds(start));
            try {
                for (String network : NETWORKS) {
                    long networkStart = System.nanoTime();
                    train(network, data, val, trainEval, probe);
                    writer.timing("train_" + network, seconds(networkStart));
                }
            } finally {
                val.unpersist(false);
                trainEval.unpersist(false);
                data.release();
            }

            long writeStart = System.nanoTime();
            writer.writeTable(spark, "metrics", METRICS, metrics);
            writer.writeTable(spark, "gradient_flow", GRADIENTS, gradients);
            writer.timing("write_results", seconds(writeStart));
            writer.timing("total", seconds(start));
            finals.put("train_images", data.count());
            finals.put("val_images", plan.valImages());
            return writer.complete(finals);
        }

        private void train(
                String network, TrainingData data, JavaRDD<DataSet> val, JavaRDD<DataSet> trainEval, DataSet probe) {
            NetworkSpec spec = spec();
            ComputationGraph net = network.equals("plain") ? CifarNetworks.plain(spec) : CifarNetworks.residual(spec);
            writeSummary(network, net);
            SparkTrainer trainer = new SparkTrainer(
                    JavaSparkContext.fromSparkContext(spark.sparkContext()), network, net, config.training());
            recordGradients(network, 0, trainer.network(), probe);

            SparkTrainer.Score valScore = null;
            double imagesPerSecond = 0;
            for (int epoch = 0; epoch < config.epochs(); epoch++) {
                double rate = config.schedule().rate(config.learningRate(), epoch, config.epochs());
                SparkTrainer.EpochResult result = trainer.trainEpoch(data, epoch, config.epochs(), rate);
                SparkTrainer.Score trainScore = trainer.evaluate(trainEval);
                valScore = trainer.evaluate(val);
                recordGradients(network, epoch + 1, trainer.network(), probe);
                metrics.add(RowFactory.create(
                        network,
                        epoch + 1,
                        rate,
                        result.meanLoss(),
                        trainScore.accuracy(),
                        valScore.loss(),
                        valScore.accuracy(),
                        result.seconds(),
                        result.imagesPerSecond(),
                        result.images()));
                imagesPerSecond += result.imagesPerSecond() / config.epochs();
                LOG.info(
                        "epoch done: network={} epoch={}/{} train_loss={} train_accuracy={} val_loss={}"
                                + " val_accuracy={} epoch_time={}s img/s={}",
                        network,
                        epoch + 1,
                        config.epochs(),
                        fmt(result.meanLoss()),
                        fmt(trainScore.accuracy()),
                        fmt(valScore.loss()),
                        fmt(valScore.accuracy()),
                        fmt(result.seconds()),
                        fmt(result.imagesPerSecond()));
            }
            writer.writeModel("models/" + network + ".zip", trainer.network());
            finals.put(network + "_val_accuracy", valScore.accuracy());
            finals.put(network + "_val_loss", valScore.loss());
            finals.put(network + "_images_per_second", imagesPerSecond);
            finals.put(network + "_params", trainer.network().numParams());
        }

        private void recordGradients(String network, int epoch, ComputationGraph net, DataSet probe) {
            for (GradientFlow.LayerGradient row : GradientFlow.measure(net, probe, 0, epoch)) {
                gradients.add(RowFactory.create(
                        network, epoch, row.layer(), row.depth(), row.meanAbsGradient(), row.updateRatio()));
            }
        }

        private void writeSummary(String network, ComputationGraph net) {
            DatasetManifest.Shape shape = plan.manifest().shape();
            InputType input = InputType.convolutional(shape.height(), shape.width(), shape.channels());
            writer.writeText("summaries/" + network + ".txt", ModelSummary.text(net, input));
            writer.writeJson("summaries/" + network + ".json", ModelSummary.rows(net, input));
        }

        private NetworkSpec spec() {
            DatasetManifest.Shape shape = plan.manifest().shape();
            return new NetworkSpec(
                    shape.height(),
                    shape.width(),
                    shape.channels(),
                    plan.manifest().labels().size(),
                    config.blocks(),
                    config.seed(),
                    config.learningRate(),
                    ResidualConfig.MOMENTUM,
                    ResidualConfig.WEIGHT_DECAY);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String fmt(double value) {
        return String.format("%.4f", value);
    }
}
