package org.visionlake.train;

import java.io.Serializable;

/**
 * Where every image of an epoch goes. The epoch's shuffled order gives each image a position; positions are cut
 * into minibatches, minibatches into averaging rounds of {@code workers x averagingFrequency}, and each worker of a
 * round gets a contiguous run of {@code averagingFrequency} minibatches. Spark partition {@code round * workers +
 * worker} holds exactly the images of one worker in one round, in order, so training needs no random split.
 *
 * <p>The images after the last full minibatch are left out of the epoch (a different set each epoch, since the
 * order changes), so that every minibatch, local or on Spark, has the same size.
 */
public final class EpochPlan implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long images;
    private final int batchSize;
    private final int workers;
    private final int averagingFrequency;

    public EpochPlan(long images, TrainingSettings settings) {
        this.images = images;
        this.batchSize = settings.batchSizePerWorker();
        this.workers = settings.workers();
        this.averagingFrequency = settings.averagingFrequency();
    }

    public long batches() {
        return images / batchSize;
    }

    /** Images that take part in the epoch: the full minibatches. */
    public long usedImages() {
        return batches() * batchSize;
    }

    public int rounds() {
        long perRound = (long) workers * averagingFrequency;
        return (int) ((batches() + perRound - 1) / perRound);
    }

    public int workers() {
        return workers;
    }

    public int partitions() {
        return rounds() * workers;
    }

    /** The partition of the image at {@code position} of the epoch order, or -1 for one left out. */
    public int partitionOf(long position) {
        if (position >= usedImages()) {
            return -1;
        }
        long batch = position / batchSize;
        long round = batch / ((long) workers * averagingFrequency);
        long worker = (batch % ((long) workers * averagingFrequency)) / averagingFrequency;
        return (int) (round * workers + worker);
    }

    /** Images that the workers of {@code round} fit together (the last round may be short). */
    public long imagesInRound(int round) {
        long perRound = (long) workers * averagingFrequency * batchSize;
        return Math.min(perRound, usedImages() - round * perRound);
    }
}
