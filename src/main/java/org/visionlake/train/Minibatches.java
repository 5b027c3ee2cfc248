package org.visionlake.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.visionlake.lake.DatasetManifest;

/**
 * Turns images into DL4J minibatches: HWC bytes become NCHW floats in [0, 1], normalised per channel; labels become
 * one-hot rows. Runs inside {@code mapPartitions} on the executors, one minibatch at a time, so a partition never
 * holds more than one batch of floats beyond what training keeps.
 */
public final class Minibatches implements FlatMapFunction<Iterator<LabelledImage>, DataSet> {
    private static final long serialVersionUID = 1L;

    // Plain ints: the manifest's Shape record is not Serializable, and this function travels to the executors.
    private final int height;
    private final int width;
    private final int channels;
    private final int numClasses;
    private final ChannelStats stats;
    private final int batchSize;
    private final boolean keepPartial;
    // Null when the network takes the images as they are; otherwise resizes (and widens grey) to its input.
    private final ImageTensors resize;

    /**
     * @param keepPartial whether a partition's last, smaller batch is kept (evaluation) or dropped (training, where
     *     the epoch plan already cut partitions at batch boundaries)
     */
    public Minibatches(
            DatasetManifest.Shape shape, int numClasses, ChannelStats stats, int batchSize, boolean keepPartial) {
        this(shape, shape, numClasses, stats, batchSize, keepPartial);
    }

    /**
     * Minibatches for a network whose input ({@code networkInput}) differs from the images' {@code shape}: a
     * pretrained backbone takes its own input size, so the images are resized bilinearly on the fly.
     */
    public Minibatches(
            DatasetManifest.Shape shape,
            DatasetManifest.Shape networkInput,
            int numClasses,
            ChannelStats stats,
            int batchSize,
            boolean keepPartial) {
        this.height = shape.height();
        this.width = shape.width();
        this.channels = shape.channels();
        this.numClasses = numClasses;
        this.stats = stats;
        this.batchSize = batchSize;
        this.keepPartial = keepPartial;
        this.resize = shape.equals(networkInput) ? null : new ImageTensors(networkInput, stats.normalization());
    }

    @Override
    public Iterator<DataSet> call(Iterator<LabelledImage> images) {
        return new Iterator<>() {
            private DataSet next = advance();

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public DataSet next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                DataSet current = next;
                next = advance();
                return current;
            }

            private DataSet advance() {
                List<LabelledImage> batch = new ArrayList<>(batchSize);
                while (batch.size() < batchSize && images.hasNext()) {
                    batch.add(images.next());
                }
                if (batch.isEmpty() || (batch.size() < batchSize && !keepPartial)) {
                    return null;
                }
                return toDataSet(batch);
            }
        };
    }

    /** One minibatch from {@code batch}, in the order given. */
    public DataSet toDataSet(List<LabelledImage> batch) {
        if (resize != null) {
            return resized(batch);
        }
        int h = height;
        int w = width;
        int c = channels;
        int plane = h * w;
        float[] features = new float[batch.size() * c * plane];
        float[] labels = new float[batch.size() * numClasses];
        float[] scale = new float[c];
        float[] offset = new float[c];
        for (int ch = 0; ch < c; ch++) {
            scale[ch] = (float) (1.0 / (255.0 * stats.std()[ch]));
            offset[ch] = (float) (stats.mean()[ch] / stats.std()[ch]);
        }
        for (int n = 0; n < batch.size(); n++) {
            LabelledImage image = batch.get(n);
            checkImage(image, h * w * c);
            byte[] pixels = image.pixels;
            int base = n * c * plane;
            for (int p = 0; p < plane; p++) {
                for (int ch = 0; ch < c; ch++) {
                    features[base + ch * plane + p] = (pixels[p * c + ch] & 0xFF) * scale[ch] - offset[ch];
                }
            }
            labels[n * numClasses + image.label] = 1f;
        }
        return new DataSet(
                Nd4j.create(features, new long[] {batch.size(), c, h, w}, 'c').castTo(DataType.FLOAT),
                Nd4j.create(labels, new long[] {batch.size(), numClasses}, 'c'));
    }

    private DataSet resized(List<LabelledImage> batch) {
        int length = resize.length();
        float[] features = new float[batch.size() * length];
        float[] labels = new float[batch.size() * numClasses];
        for (int n = 0; n < batch.size(); n++) {
            LabelledImage image = batch.get(n);
            checkImage(image, height * width * channels);
            resize.write(image.pixels, height, width, channels, features, n * length);
            labels[n * numClasses + image.label] = 1f;
        }
        DatasetManifest.Shape input = resize.target();
        return new DataSet(
                Nd4j.create(features, new long[] {batch.size(), input.channels(), input.height(), input.width()}, 'c')
                        .castTo(DataType.FLOAT),
                Nd4j.create(labels, new long[] {batch.size(), numClasses}, 'c'));
    }

    private void checkImage(LabelledImage image, int expectedBytes) {
        if (image.pixels.length != expectedBytes || image.label < 0 || image.label >= numClasses) {
            throw new IllegalStateException(String.format(
                    "image %d does not match the dataset: expected %d pixel bytes (%s) and a label in [0, %d),"
                            + " found %d bytes and label %d; re-ingest the dataset",
                    image.index,
                    expectedBytes,
                    height + "x" + width + "x" + channels,
                    numClasses,
                    image.pixels.length,
                    image.label));
        }
    }
}
