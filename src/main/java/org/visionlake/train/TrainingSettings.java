package org.visionlake.train;

import java.io.Serializable;
import org.visionlake.VisionLakeException;

/**
 * How a network is trained on Spark with parameter averaging. Immutable and validated at construction.
 *
 * @param workers parallel model replicas; each gets its own partition of every averaging round
 * @param batchSizePerWorker images in one minibatch of one worker
 * @param averagingFrequency minibatches each worker fits between two parameter averagings
 * @param prefetch minibatches a worker prepares ahead of the one it fits (0 to disable)
 * @param seed decides the data order of every epoch, the probe batch and the evaluation subsets
 */
public record TrainingSettings(int workers, int batchSizePerWorker, int averagingFrequency, int prefetch, long seed)
        implements Serializable {

    public TrainingSettings {
        require(workers >= 1, "--workers must be at least 1, found " + workers);
        require(batchSizePerWorker >= 1, "--batch-size must be at least 1, found " + batchSizePerWorker);
        require(averagingFrequency >= 1, "--averaging-frequency must be at least 1, found " + averagingFrequency);
        require(prefetch >= 0, "--prefetch must not be negative, found " + prefetch);
    }

    /** Images fitted by all workers together between two averagings. */
    public int imagesPerRound() {
        return workers * batchSizePerWorker * averagingFrequency;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new VisionLakeException("invalid training settings: " + message);
        }
    }
}
