package org.visionlake.train;

import java.io.Serializable;
import scala.runtime.AbstractFunction1;

/** Selects the partitions of one averaging round (see {@link EpochPlan}) for Spark's partition pruning. */
final class RoundPartitions extends AbstractFunction1<Object, Object> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int round;
    private final int workers;

    RoundPartitions(int round, int workers) {
        this.round = round;
        this.workers = workers;
    }

    @Override
    public Object apply(Object partitionIndex) {
        return (Integer) partitionIndex / workers == round;
    }
}
