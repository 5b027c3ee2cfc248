package org.visionlake.experiment.residual;

import java.util.LinkedHashMap;
import java.util.Map;
import org.visionlake.VisionLakeException;
import org.visionlake.train.LearningRateSchedule;
import org.visionlake.train.TrainingSettings;

/**
 * Settings of one plain-vs-residual run, validated at construction (dataset-dependent checks happen in
 * {@link ResidualExperiment#check} before any Spark work).
 *
 * @param blocks blocks per stage of both networks (6n+2 weight layers)
 * @param batchSize minibatch size of one worker
 * @param trainLimit, valLimit keep only this many images of the split, chosen by the seed (0: all)
 * @param trainEvalImages training images on which the end-of-epoch training accuracy is measured
 * @param probeImages images of the fixed probe batch of the gradient-flow measurement
 * @param runId null for a fresh id
 */
public record ResidualConfig(
        String dataset,
        int blocks,
        int epochs,
        int batchSize,
        double learningRate,
        LearningRateSchedule schedule,
        long seed,
        long trainLimit,
        long valLimit,
        int workers,
        int averagingFrequency,
        int prefetch,
        int trainEvalImages,
        int probeImages,
        String runId) {

    public static final String EXPERIMENT = "residual";
    public static final double MOMENTUM = 0.9;
    public static final double WEIGHT_DECAY = 1e-4;

    public ResidualConfig {
        require(dataset != null && !dataset.isBlank(), "--dataset is required");
        require(blocks >= 1, "--blocks must be at least 1, found " + blocks);
        require(epochs >= 1, "--epochs must be at least 1, found " + epochs);
        require(workers >= 1, "--workers must be at least 1, found " + workers);
        require(batchSize >= 1, "--batch-size must be at least 1, found " + batchSize);
        require(learningRate > 0, "--learning-rate must be positive, found " + learningRate);
        require(trainLimit >= 0 && valLimit >= 0, "--train-limit and --val-limit must not be negative");
        require(trainEvalImages >= 1 && probeImages >= 1, "evaluation subset and probe batch need images");
        new TrainingSettings(workers, batchSize, averagingFrequency, prefetch, seed);
    }

    public TrainingSettings training() {
        return new TrainingSettings(workers, batchSize, averagingFrequency, prefetch, seed);
    }

    /** The effective configuration as it goes into the run record. */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("dataset", dataset);
        map.put("blocks", blocks);
        map.put("weight_layers", 6 * blocks + 2);
        map.put("epochs", epochs);
        map.put("batch_size_per_worker", batchSize);
        map.put("learning_rate", learningRate);
        map.put("schedule", schedule.toString());
        map.put("momentum", MOMENTUM);
        map.put("weight_decay", WEIGHT_DECAY);
        map.put("seed", seed);
        map.put("train_limit", trainLimit);
        map.put("val_limit", valLimit);
        map.put("workers", workers);
        map.put("averaging_frequency", averagingFrequency);
        map.put("prefetch", prefetch);
        map.put("train_eval_images", trainEvalImages);
        map.put("probe_images", probeImages);
        return map;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new VisionLakeException("invalid residual experiment settings: " + message);
        }
    }
}
