package org.visionlake.experiment.transfer;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visionlake.progress.Progress;

/**
 * Trains a ComputationGraph on the executors with DL4J's parameter averaging, one {@code fit} per epoch, and
 * measures each epoch on the training and validation data (on Spark as well).
 */
public final class SparkTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(SparkTrainer.class);

    /** Averaging every few minibatches: fewer averaging rounds cost less, more keep the workers closer. */
    private static final int AVERAGING_FREQUENCY = 4;

    private final JavaSparkContext jsc;
    private final int batchSize;
    private final long seed;

    public SparkTrainer(JavaSparkContext jsc, int batchSize, long seed) {
        this.jsc = jsc;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /** The trained network and its per-epoch measurements. */
    public record Outcome(ComputationGraph graph, List<EpochMetrics> epochs, double trainSeconds) {}

    /** {@code trainEval}: the training data, or a sample of it, measured after each epoch. */
    public Outcome fit(
            String what,
            ComputationGraph graph,
            JavaRDD<DataSet> train,
            JavaRDD<DataSet> trainEval,
            JavaRDD<DataSet> val,
            long trainCount,
            int epochs) {
        train.persist(StorageLevel.MEMORY_AND_DISK_SER());
        trainEval.persist(StorageLevel.MEMORY_AND_DISK_SER());
        val.persist(StorageLevel.MEMORY_AND_DISK_SER());
        try {
            return run(what, graph, train, trainEval, val, trainCount, epochs);
        } finally {
            train.unpersist(false);
            trainEval.unpersist(false);
            val.unpersist(false);
        }
    }

    private Outcome run(
            String what,
            ComputationGraph graph,
            JavaRDD<DataSet> train,
            JavaRDD<DataSet> trainEval,
            JavaRDD<DataSet> val,
            long trainCount,
            int epochs) {
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(batchSize)
                .batchSizePerWorker(batchSize)
                .averagingFrequency(AVERAGING_FREQUENCY)
                .workerPrefetchNumBatches(2)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .rngSeed(seed)
                .build();
        SparkComputationGraph sparkNet = new SparkComputationGraph(jsc, graph, master);
        Progress progress = new Progress(LOG, what, trainCount * epochs, 0);
        List<EpochMetrics> metrics = new ArrayList<>();
        double trainSeconds = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            sparkNet.fit(train);
            double seconds = (System.nanoTime() - start) / 1e9;
            trainSeconds += seconds;

            Evaluation.Result onTrain = Evaluation.onSpark(jsc, sparkNet.getNetwork(), trainEval);
            Evaluation.Result onVal = Evaluation.onSpark(jsc, sparkNet.getNetwork(), val);
            EpochMetrics m = new EpochMetrics(
                    epoch,
                    onTrain.loss(),
                    onTrain.accuracy(),
                    onVal.loss(),
                    onVal.accuracy(),
                    seconds,
                    trainCount / seconds);
            metrics.add(m);
            progress.advance(
                    trainCount,
                    String.format(
                            "epoch=%d/%d train_loss=%.4f train_acc=%.4f val_loss=%.4f val_acc=%.4f epoch_s=%.1f",
                            epoch, epochs, m.trainLoss(), m.trainAccuracy(), m.valLoss(), m.valAccuracy(), seconds));
        }
        return new Outcome(sparkNet.getNetwork(), metrics, trainSeconds);
    }
}
