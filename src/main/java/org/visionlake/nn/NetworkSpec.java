package org.visionlake.nn;

import org.visionlake.VisionLakeException;

/**
 * What a network builder needs to know: the input shape (from the dataset's manifest), the number of classes, the
 * depth, and the optimiser settings. Immutable and validated at construction.
 *
 * @param blocksPerStage blocks in each of the three stages; 3 gives ResNet-20, 9 ResNet-56 (6n+2 weight layers)
 * @param learningRate SGD with Nesterov momentum
 * @param weightDecay decoupled weight decay applied to the weights, 0 to disable
 */
public record NetworkSpec(
        int height,
        int width,
        int channels,
        int numClasses,
        int blocksPerStage,
        long seed,
        double learningRate,
        double momentum,
        double weightDecay) {

    public NetworkSpec {
        require(height >= 8 && width >= 8, "input height and width must be at least 8, found " + height + "x" + width);
        require(channels == 1 || channels == 3, "input channels must be 1 or 3, found " + channels);
        require(numClasses >= 2, "at least 2 classes are needed, found " + numClasses);
        require(blocksPerStage >= 1, "blocks per stage must be at least 1, found " + blocksPerStage);
        require(learningRate > 0, "learning rate must be positive, found " + learningRate);
        require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), found " + momentum);
        require(weightDecay >= 0, "weight decay must not be negative, found " + weightDecay);
    }

    /** The CIFAR ResNet paper's settings: SGD lr 0.1, momentum 0.9, weight decay 1e-4. */
    public static NetworkSpec cifar(
            int height, int width, int channels, int numClasses, int blocksPerStage, long seed) {
        return new NetworkSpec(height, width, channels, numClasses, blocksPerStage, seed, 0.1, 0.9, 1e-4);
    }

    public NetworkSpec withLearningRate(double newLearningRate) {
        return new NetworkSpec(
                height, width, channels, numClasses, blocksPerStage, seed, newLearningRate, momentum, weightDecay);
    }

    /** Weight layers of the CIFAR-style networks: stem, two per block, and the classifier. */
    public int depth() {
        return 6 * blocksPerStage + 2;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new VisionLakeException("invalid network settings: " + message);
        }
    }
}
