package org.visionlake.experiment.transfer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.visionlake.VisionLakeException;

/**
 * Settings of one transfer experiment, validated once.
 *
 * @param sourceModel registry name, {@code zoo:resnet50}, {@code file:PATH}, or null for the latest pretrained model
 * @param trainSizes target training-set sizes, each a class-balanced subset of the target's train split
 * @param learningRate stage-1 learning rate (scratch and frozen head); fine-tuning uses it times
 *     {@code fineTuneFactor}
 * @param evalLimit class-balanced validation and test images (0: all)
 * @param fileInputSize height and width of a {@code file:} model's input
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
        int fileInputSize) {

    public TransferSettings {
        trainSizes = List.copyOf(trainSizes);
        if (trainSizes.isEmpty() || trainSizes.stream().anyMatch(n -> n < 2)) {
            throw invalid("--train-sizes needs one or more sizes of at least 2, found " + trainSizes);
        }
        if (stage1Epochs < 1 || stage2Epochs < 1 || batchSize < 1 || hidden < 1) {
            throw invalid(String.format(
                    "epochs, batch size and head width must be at least 1, found stage1=%d stage2=%d batch=%d"
                            + " hidden=%d",
                    stage1Epochs, stage2Epochs, batchSize, hidden));
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

    Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("sourceModel", sourceModel == null ? "latest" : sourceModel);
        map.put("targetDataset", targetDataset);
        map.put("trainSizes", trainSizes);
        map.put("stage1Epochs", stage1Epochs);
        map.put("stage2Epochs", stage2Epochs);
        map.put("batchSize", batchSize);
        map.put("learningRate", learningRate);
        map.put("fineTuneLearningRate", learningRate * fineTuneFactor);
        map.put("headHidden", hidden);
        map.put("evalLimit", evalLimit);
        map.put("seed", seed);
        return map;
    }
}
