package org.visionlake.train;

import org.apache.spark.Partitioner;

/** Sends an image, keyed by its position in the epoch order, to the partition of its worker and round. */
final class EpochPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;

    private final EpochPlan plan;

    EpochPartitioner(EpochPlan plan) {
        this.plan = plan;
    }

    @Override
    public int numPartitions() {
        return plan.partitions();
    }

    @Override
    public int getPartition(Object key) {
        return plan.partitionOf((Long) key);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EpochPartitioner that && that.plan == plan;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(plan);
    }
}
