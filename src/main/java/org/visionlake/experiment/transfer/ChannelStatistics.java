package org.visionlake.experiment.transfer;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.visionlake.lake.ImageSchema;
import org.visionlake.models.Normalization;

/** Per-channel mean and standard deviation of pixels in [0, 1], summed on the executors in one pass. */
final class ChannelStatistics {
    private ChannelStatistics() {}

    static Normalization of(Dataset<Row> rows, int channels) {
        double[] sums = rows.select(ImageSchema.PIXELS, ImageSchema.CHANNELS)
                .javaRDD()
                .mapPartitions((Iterator<Row> it) ->
                        List.of(partitionSums(it, channels)).iterator())
                .reduce(ChannelStatistics::add);
        double[] mean = new double[channels];
        double[] std = new double[channels];
        for (int c = 0; c < channels; c++) {
            double n = Math.max(1, sums[2 * channels + c]);
            mean[c] = sums[c] / n;
            std[c] = Math.max(1e-3, Math.sqrt(Math.max(0, sums[channels + c] / n - mean[c] * mean[c])));
        }
        return new Normalization(Pretrainer.list(mean), Pretrainer.list(std));
    }

    private static double[] partitionSums(Iterator<Row> rows, int channels) {
        double[] sums = new double[3 * channels];
        while (rows.hasNext()) {
            Row row = rows.next();
            byte[] pixels = (byte[]) row.get(0);
            int c = row.getInt(1);
            for (int i = 0; i < pixels.length; i++) {
                int ch = c == 1 ? 0 : i % c;
                double v = (pixels[i] & 0xFF) / 255.0;
                sums[ch] += v;
                sums[channels + ch] += v * v;
                sums[2 * channels + ch] += 1;
            }
        }
        return sums;
    }

    private static double[] add(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }
}
