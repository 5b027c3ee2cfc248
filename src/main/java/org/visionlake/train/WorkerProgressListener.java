package org.visionlake.train;

import java.io.Serializable;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visionlake.progress.Progress;

/**
 * Runs inside each Spark worker while it fits its minibatches: logs epoch, iteration, loss, images/s and the ETA of
 * the epoch, and adds every minibatch loss to accumulators from which the driver takes the epoch's training loss.
 * The driver updates epoch and round before each averaging round; the listener travels to the workers with the
 * round's task, so each round's copy carries that round's numbers.
 */
public final class WorkerProgressListener extends BaseTrainingListener implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(WorkerProgressListener.class);
    private static final long LOG_INTERVAL_NANOS = 5_000_000_000L;

    private final String network;
    private final int batchSize;
    private final DoubleAccumulator lossSum;
    private final LongAccumulator minibatches;
    private int epoch;
    private int round;
    private int rounds;
    private double epochElapsedSeconds;
    private long epochImagesBefore;
    private long epochImages;

    private transient long startNanos;
    private transient long lastLogNanos;
    private transient int fitted;

    public WorkerProgressListener(
            String network, int batchSize, DoubleAccumulator lossSum, LongAccumulator minibatches) {
        this.network = network;
        this.batchSize = batchSize;
        this.lossSum = lossSum;
        this.minibatches = minibatches;
    }

    /** Called on the driver before each round; what the workers need to estimate the epoch's remaining time. */
    void beforeRound(int epoch, int round, int rounds, long imagesBefore, long epochImages, double elapsedSeconds) {
        this.epoch = epoch;
        this.round = round;
        this.rounds = rounds;
        this.epochImagesBefore = imagesBefore;
        this.epochImages = epochImages;
        this.epochElapsedSeconds = elapsedSeconds;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epochCount) {
        long now = System.nanoTime();
        if (fitted == 0) {
            startNanos = now;
            lastLogNanos = now - LOG_INTERVAL_NANOS;
        }
        fitted++;
        double loss = model.score();
        lossSum.add(loss);
        minibatches.add(1);
        if (now - lastLogNanos < LOG_INTERVAL_NANOS) {
            return;
        }
        lastLogNanos = now;
        // Timed from the end of the first minibatch: its own duration is unknown to the listener.
        double seconds = (now - startNanos) / 1e9;
        String workerRate = fitted > 1 ? String.format("%.1f", (fitted - 1) * batchSize / seconds) : "n/a";
        // The epoch's remaining images are shared by the workers that run beside this one.
        long done = epochImagesBefore;
        double epochRate = epochElapsedSeconds > 0 ? done / epochElapsedSeconds : 0;
        double eta = epochRate > 0 ? (epochImages - done) / epochRate : 0;
        LOG.info(
                "worker progress: network={} epoch={} round={}/{} iteration={} loss={} img/s={} epoch_eta={}",
                network,
                epoch + 1,
                round + 1,
                rounds,
                fitted,
                String.format("%.4f", loss),
                workerRate,
                epochRate > 0 ? Progress.formatSeconds(eta) : "n/a");
    }
}
