package org.visionlake.models;

import java.io.Serializable;
import java.util.List;
import org.visionlake.VisionLakeException;

/**
 * Per-channel normalisation of pixels scaled to [0, 1]: {@code (x - mean[c]) / std[c]}. A backbone is only useful
 * on inputs normalised the way it was trained, so the statistics travel with the model in its card.
 */
public record Normalization(List<Double> mean, List<Double> std) implements Serializable {
    public Normalization {
        if (mean == null || std == null || mean.size() != std.size() || mean.isEmpty()) {
            throw new VisionLakeException(
                    "invalid normalisation: expected one mean and one std per channel, found " + mean + " / " + std);
        }
        for (double s : std) {
            if (!(s > 0)) {
                throw new VisionLakeException("invalid normalisation: std must be positive, found " + std);
            }
        }
        mean = List.copyOf(mean);
        std = List.copyOf(std);
    }

    public int channels() {
        return mean.size();
    }

    /** Mean and std of ImageNet in RGB, as the zoo's ImageNet models expect (their inputs are 0-255 minus mean). */
    public static Normalization imageNetCaffe() {
        double scale = 1.0 / 255.0;
        return new Normalization(
                List.of(123.68 / 255.0, 116.779 / 255.0, 103.939 / 255.0), List.of(scale, scale, scale));
    }
}
