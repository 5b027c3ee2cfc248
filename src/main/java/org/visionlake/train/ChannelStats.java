package org.visionlake.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.visionlake.VisionLakeException;
import org.visionlake.models.Normalization;

/**
 * Per-channel mean and standard deviation of the pixels of a split, on the [0, 1] scale. Computed once on the
 * training split by a Spark aggregation; validation and probe images are normalised with the same numbers.
 */
public record ChannelStats(double[] mean, double[] std) implements Serializable {

    /** Sums pixel values and their squares per channel across the executors; only 2 x channels numbers return. */
    public static ChannelStats compute(JavaRDD<LabelledImage> images, int channels) {
        double[] zero = new double[2 * channels + 1];
        double[] sums = images.treeAggregate(
                zero,
                (acc, image) -> {
                    byte[] pixels = image.pixels;
                    for (int i = 0; i < pixels.length; i++) {
                        double v = (pixels[i] & 0xFF) / 255.0;
                        int c = i % channels;
                        acc[c] += v;
                        acc[channels + c] += v * v;
                    }
                    acc[2 * channels] += pixels.length / (double) channels;
                    return acc;
                },
                (a, b) -> {
                    double[] merged = a.clone();
                    for (int i = 0; i < merged.length; i++) {
                        merged[i] += b[i];
                    }
                    return merged;
                });
        double pixelsPerChannel = sums[2 * channels];
        if (pixelsPerChannel == 0) {
            throw new VisionLakeException("cannot compute channel statistics: the training split has no pixels");
        }
        double[] mean = new double[channels];
        double[] std = new double[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = sums[c] / pixelsPerChannel;
            double variance = sums[channels + c] / pixelsPerChannel - mean[c] * mean[c];
            // A constant channel (all-black fixtures) would divide by zero; 1 leaves it centred but unscaled.
            std[c] = variance > 1e-12 ? Math.sqrt(variance) : 1.0;
        }
        return new ChannelStats(mean, std);
    }

    /** The same numbers in the form a model card records them. */
    public Normalization normalization() {
        List<Double> m = new ArrayList<>();
        List<Double> s = new ArrayList<>();
        for (int c = 0; c < mean.length; c++) {
            m.add(mean[c]);
            s.add(std[c]);
        }
        return new Normalization(m, s);
    }

    /** The statistics a pretrained backbone was trained with, to normalise its inputs the same way. */
    public static ChannelStats of(Normalization normalization) {
        double[] m = new double[normalization.channels()];
        double[] s = new double[normalization.channels()];
        for (int c = 0; c < m.length; c++) {
            m[c] = normalization.mean().get(c);
            s[c] = normalization.std().get(c);
        }
        return new ChannelStats(m, s);
    }

    @Override
    public String toString() {
        return "mean=" + Arrays.toString(mean) + " std=" + Arrays.toString(std);
    }
}
