package org.visionlake.train;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visionlake.progress.Progress;

/**
 * Trains one network on Spark with DL4J's parameter averaging: each averaging round is one {@code fit} of the
 * round's partitions (one per worker, already in order), so the data order is exactly the one of the
 * {@link EpochPlan} and the driver can log after every round. Evaluation and loss run on Spark too.
 *
 * <p>Lifecycle: create, then any number of {@link #trainEpoch} and {@link #evaluate} calls; the driver's network
 * ({@link #network()}) holds the averaged parameters after each round.
 */
public final class SparkTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(SparkTrainer.class);

    private final String name;
    private final TrainingSettings settings;
    private final SparkComputationGraph sparkNet;
    private final WorkerProgressListener listener;
    private final DoubleAccumulator lossSum;
    private final LongAccumulator minibatches;

    /** What one epoch of training did. */
    public record EpochResult(
            int epoch, double learningRate, double meanLoss, long images, double seconds, double imagesPerSecond) {}

    /** Loss (mean per image, including the regularisation term) and accuracy of a network on a dataset. */
    public record Score(double loss, double accuracy, long images) {}

    public SparkTrainer(JavaSparkContext sc, String name, ComputationGraph network, TrainingSettings settings) {
        this.name = name;
        this.settings = settings;
        this.lossSum = sc.sc().doubleAccumulator("loss-" + name);
        this.minibatches = sc.sc().longAccumulator("minibatches-" + name);
        this.listener = new WorkerProgressListener(name, settings.batchSizePerWorker(), lossSum, minibatches);

        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(
                        settings.workers(), settings.batchSizePerWorker())
                .batchSizePerWorker(settings.batchSizePerWorker())
                .averagingFrequency(settings.averagingFrequency())
                .workerPrefetchNumBatches(settings.prefetch())
                .saveUpdater(true)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                // Partitions already are the workers' shares of a round; repartitioning would reorder them.
                .repartionData(Repartition.Never)
                // Each round's input is persisted here and released after the round; DL4J would keep its copy.
                .storageLevel(null)
                .rngSeed(settings.seed())
                .build();
        this.sparkNet = new SparkComputationGraph(sc, network, master);
        sparkNet.setListeners(List.of(listener));
    }

    public ComputationGraph network() {
        return sparkNet.getNetwork();
    }

    public String name() {
        return name;
    }

    /** Fits one epoch of {@code data} (0-based {@code epoch}) at {@code learningRate}, round by round. */
    public EpochResult trainEpoch(TrainingData data, int epoch, int epochs, double learningRate) {
        network().setLearningRate(learningRate);
        EpochPlan plan = data.plan();
        JavaRDD<DataSet> epochBatches = data.epoch(epoch);
        lossSum.reset();
        minibatches.reset();

        Progress progress = new Progress(
                LOG, "train network=" + name + " epoch=" + (epoch + 1) + "/" + epochs, plan.usedImages(), 0);
        for (int round = 0; round < plan.rounds(); round++) {
            listener.beforeRound(
                    epoch, round, plan.rounds(), progress.done(), plan.usedImages(), progress.elapsedSeconds());
            JavaRDD<DataSet> roundBatches = data.round(epochBatches, round).persist(StorageLevel.MEMORY_ONLY());
            try {
                sparkNet.fit(roundBatches);
            } finally {
                roundBatches.unpersist(false);
            }
            progress.advance(
                    plan.imagesInRound(round),
                    String.format(
                            "round=%d/%d loss=%.4f lr=%.4g",
                            round + 1, plan.rounds(), sparkNet.getScore(), learningRate));
        }

        double seconds = progress.elapsedSeconds();
        double meanLoss = minibatches.value() == 0 ? Double.NaN : lossSum.value() / minibatches.value();
        return new EpochResult(epoch, learningRate, meanLoss, plan.usedImages(), seconds, plan.usedImages() / seconds);
    }

    /**
     * The same numbers as {@link #evaluate} for a network trained on the driver: a small head on a few thousand
     * cached feature vectors, where a Spark job per averaging round would cost far more than the arithmetic.
     */
    public static Score scoreOnDriver(ComputationGraph network, List<DataSet> batches) {
        Evaluation evaluation = new Evaluation();
        double lossSum = 0;
        long images = 0;
        for (DataSet batch : batches) {
            evaluation.eval(batch.getLabels(), network.outputSingle(false, batch.getFeatures()));
            lossSum += network.score(batch, false) * batch.numExamples();
            images += batch.numExamples();
        }
        return new Score(images == 0 ? Double.NaN : lossSum / images, evaluation.accuracy(), images);
    }

    /** Accuracy ({@code evaluate}) and mean loss ({@code calculateScore}) of the current network, both on Spark. */
    public Score evaluate(JavaRDD<DataSet> batches) {
        // calculateScore broadcasts the network's own parameter array, and Spark closes AutoCloseable broadcast
        // values when it cleans them up; a copy keeps that from releasing the parameters that training goes on with.
        SparkComputationGraph scorer =
                new SparkComputationGraph(sparkNet.getSparkContext(), network().clone(), sparkNet.getTrainingMaster());
        Evaluation evaluation = scorer.evaluate(batches);
        double loss = scorer.calculateScore(batches, true);
        return new Score(loss, evaluation.accuracy(), evaluation.getNumRowCounter());
    }
}
