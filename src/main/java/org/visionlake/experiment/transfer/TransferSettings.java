package org.visionlake.experiment.transfer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.visionlake.VisionLakeException;
import org.visionlake.train.TrainingSettings;

/**
 * Settings of one transfer experiment, validated once.
 *
 * @param sourceModel registry name, {@code zoo:resnet50}, {@code file:PATH}, or null for the latest pretrained model
 * @param trainSizes target training-set sizes, each a class-balanced subset of the target's train split
 * @param learningRate stage-1 learning rate (scratch and frozen head); fine-tuning uses it times
 *     {@code fineTuneFactor}
 * @param evalLimit class-balanced validation and test images (0: all)
 * @param fileInputSize height and width of a {@code file:} model's input
 * @param workers parallel model replicas of the Spark training (parameter averaging)
 */
public record TransferSettings(
        String sourceModel,
        String targetDataset,
        List<Integer> trainSizes,
        int stage1Epochs,
        int stage2Epochs,
        int batchSize,
        double learningRate,
        double fineTuneFactor,
        int hidden,
        int evalLimit,
        long seed,
        int fileInputSize,
        int workers) {
    /** Minibatches each worker fits between two parameter averagings. */
    static final int AVERAGING_FREQUENCY = 4;

    static final int PREFETCH = 2;

    public TransferSettings {
        trainSizes = List.copyOf(trainSizes);
        if (trainSizes.isEmpty() || trainSizes.stream().anyMatch(n -> n < 2)) {
            throw invalid("--train-sizes needs one or more sizes of at least 2, found " + trainSizes);
        }
        if (stage1Epochs < 1 || stage2Epochs < 1 || batchSize < 1 || hidden < 1 || workers < 1) {
            throw invalid(String.format(
                    "epochs, batch size, head width and workers must be at least 1, found stage1=%d stage2=%d"
                            + " batch=%d hidden=%d workers=%d",
                    stage1Epochs, stage2Epochs, batchSize, hidden, workers));
        }
        if (!(learningRate > 0) || !(fineTuneFactor > 0) || fineTuneFactor > 1) {
            throw invalid(String.format(
                    "learning rate must be positive and the fine-tune factor in (0, 1], found lr=%s factor=%s",
                    learningRate, fineTuneFactor));
        }
    }

    private static VisionLakeException invalid(String message) {
        return new VisionLakeException("invalid transfer settings: " + message);
    }

    /** How the scratch and fine-tuning networks train on Spark. */
    TrainingSettings training() {
        return new TrainingSettings(workers, batchSize, AVERAGING_FREQUENCY, PREFETCH, seed);
    }

    /** The effective settings for the run record, in snake_case as every run record of the lake. */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("source_model", sourceModel == null ? "latest" : sourceModel);
        map.put("target_dataset", targetDataset);
        map.put("train_sizes", trainSizes);
        map.put("stage1_epochs", stage1Epochs);
        map.put("stage2_epochs", stage2Epochs);
        map.put("batch_size", batchSize);
        map.put("learning_rate", learningRate);
        map.put("fine_tune_learning_rate", learningRate * fineTuneFactor);
        map.put("head_hidden", hidden);
        map.put("eval_limit", evalLimit);
        map.put("seed", seed);
        map.put("workers", workers);
        map.put("averaging_frequency", AVERAGING_FREQUENCY);
        return map;
    }
}
