package org.visionlake.bench;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures a network's training and inference rate on one random batch that is fed again and again, like the
 * PyTorch reference script: warm-up iterations first (JIT, workspaces, oneDNN primitive caches), then several timed
 * repeats of a fixed number of iterations, reporting the median repeat.
 */
public final class ThroughputBench {
    private static final Logger log = LoggerFactory.getLogger(ThroughputBench.class);

    private final int batch;
    private final int warmup;
    private final int iterations;
    private final int repeats;

    public ThroughputBench(int batch, int warmup, int iterations, int repeats) {
        this.batch = batch;
        this.warmup = warmup;
        this.iterations = iterations;
        this.repeats = repeats;
    }

    /** Images per second: median and every repeat, for training ({@code fit}) and inference ({@code output}). */
    public record Rates(double trainMedian, double inferenceMedian, List<Double> train, List<Double> inference) {}

    public Rates measure(String name, ComputationGraph net, int height, int width, int channels, int classes) {
        Nd4j.getRandom().setSeed(7);
        INDArray features = Nd4j.rand(DataType.FLOAT, batch, channels, height, width);
        INDArray labels = oneHot(classes);

        List<Double> train = new ArrayList<>();
        run(() -> net.fit(new INDArray[] {features}, new INDArray[] {labels}), warmup);
        for (int r = 0; r < repeats; r++) {
            train.add(rate(() -> net.fit(new INDArray[] {features}, new INDArray[] {labels})));
        }
        List<Double> inference = new ArrayList<>();
        run(() -> net.output(false, features), warmup);
        for (int r = 0; r < repeats; r++) {
            inference.add(rate(() -> net.output(false, features)));
        }
        Rates rates = new Rates(median(train), median(inference), train, inference);
        log.info(
                "bench network={} batch={} train_img_per_s={} inference_img_per_s={} repeats={}",
                name,
                batch,
                String.format("%.1f", rates.trainMedian()),
                String.format("%.1f", rates.inferenceMedian()),
                repeats);
        return rates;
    }

    private INDArray oneHot(int classes) {
        INDArray labels = Nd4j.zeros(DataType.FLOAT, batch, classes);
        for (int i = 0; i < batch; i++) {
            labels.putScalar(i, i % classes, 1.0);
        }
        return labels;
    }

    private double rate(Runnable step) {
        long start = System.nanoTime();
        run(step, iterations);
        double seconds = (System.nanoTime() - start) / 1e9;
        return batch * (double) iterations / seconds;
    }

    private static void run(Runnable step, int times) {
        for (int i = 0; i < times; i++) {
            step.run();
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
