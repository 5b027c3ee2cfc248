package org.visionlake.experiment.transfer;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.visionlake.models.ModelBytes;

/**
 * Mean cross-entropy loss and accuracy of a network on a data set, computed on the executors in one inference pass
 * (the network is broadcast as zip bytes), so the driver only sums three numbers per partition.
 */
public final class Evaluation {
    /** Loss and accuracy over {@code count} examples. */
    public record Result(double loss, double accuracy, long count) implements Serializable {}

    private Evaluation() {}

    public static Result onSpark(JavaSparkContext jsc, ComputationGraph graph, JavaRDD<DataSet> data) {
        Broadcast<byte[]> model = jsc.broadcast(ModelBytes.of(graph, false));
        try {
            double[] sums = data.mapPartitions((Iterator<DataSet> batches) ->
                            List.of(partitionSums(model.value(), batches)).iterator())
                    .reduce(Evaluation::add);
            return result(sums);
        } finally {
            model.destroy();
        }
    }

    /** The same numbers for data already on the driver (head training on cached features). */
    public static Result local(ComputationGraph graph, Iterable<DataSet> batches) {
        double[] sums = new double[3];
        for (DataSet batch : batches) {
            sums = add(sums, batchSums(graph, batch));
        }
        return result(sums);
    }

    private static double[] partitionSums(byte[] zip, Iterator<DataSet> batches) {
        double[] sums = new double[3];
        if (!batches.hasNext()) {
            return sums;
        }
        ComputationGraph graph = ModelBytes.restore(zip);
        while (batches.hasNext()) {
            sums = add(sums, batchSums(graph, batches.next()));
        }
        return sums;
    }

    private static double[] batchSums(ComputationGraph graph, DataSet batch) {
        INDArray probabilities = graph.outputSingle(false, batch.getFeatures());
        INDArray labels = batch.getLabels();
        long n = labels.size(0);
        double loss = 0;
        double correct = 0;
        for (int i = 0; i < n; i++) {
            int truth = labels.getRow(i).argMax().getInt(0);
            int predicted = probabilities.getRow(i).argMax().getInt(0);
            // Clamped so that one confident mistake cannot make the mean infinite.
            loss -= Math.log(Math.max(probabilities.getDouble(i, truth), 1e-7));
            correct += truth == predicted ? 1 : 0;
        }
        return new double[] {loss, correct, n};
    }

    private static double[] add(double[] a, double[] b) {
        return new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
    }

    private static Result result(double[] sums) {
        long count = (long) sums[2];
        return count == 0 ? new Result(Double.NaN, Double.NaN, 0) : new Result(sums[0] / count, sums[1] / count, count);
    }
}
