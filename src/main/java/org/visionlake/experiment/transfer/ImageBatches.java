package org.visionlake.experiment.transfer;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.visionlake.features.ImageTensors;
import org.visionlake.lake.ImageSchema;

/**
 * Image rows of the lake to minibatches of DL4J DataSets on the executors (the driver never holds the images):
 * features NCHW normalised by {@link ImageTensors}, labels one-hot.
 */
public final class ImageBatches {
    private ImageBatches() {}

    public static JavaRDD<DataSet> of(Dataset<Row> rows, ImageTensors tensors, int numClasses, int batchSize) {
        return rows.select(
                        ImageSchema.LABEL,
                        ImageSchema.HEIGHT,
                        ImageSchema.WIDTH,
                        ImageSchema.CHANNELS,
                        ImageSchema.PIXELS)
                .javaRDD()
                .mapPartitions(partition -> batches(partition, tensors, numClasses, batchSize));
    }

    private static Iterator<DataSet> batches(
            Iterator<Row> partition, ImageTensors tensors, int numClasses, int batchSize) {
        List<DataSet> out = new ArrayList<>();
        List<Row> pending = new ArrayList<>(batchSize);
        while (partition.hasNext()) {
            pending.add(partition.next());
            if (pending.size() == batchSize) {
                out.add(toDataSet(pending, tensors, numClasses));
                pending.clear();
            }
        }
        if (!pending.isEmpty()) {
            out.add(toDataSet(pending, tensors, numClasses));
        }
        return out.iterator();
    }

    static DataSet toDataSet(List<Row> rows, ImageTensors tensors, int numClasses) {
        int n = rows.size();
        int length = tensors.length();
        float[] features = new float[n * length];
        float[] labels = new float[n * numClasses];
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            tensors.write((byte[]) row.get(4), row.getInt(1), row.getInt(2), row.getInt(3), features, i * length);
            labels[i * numClasses + row.getInt(0)] = 1f;
        }
        var shape = tensors.target();
        return new DataSet(
                Nd4j.create(features, new long[] {n, shape.channels(), shape.height(), shape.width()}),
                Nd4j.create(labels, new long[] {n, numClasses}));
    }
}
