package org.visionlake.experiment.transfer;

/** What one epoch of training measured: losses and accuracies on the training and validation data, and speed. */
public record EpochMetrics(
        int epoch,
        double trainLoss,
        double trainAccuracy,
        double valLoss,
        double valAccuracy,
        double seconds,
        double imagesPerSecond) {}
