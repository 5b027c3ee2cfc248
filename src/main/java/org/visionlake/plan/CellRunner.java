package org.visionlake.plan;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.visionlake.lake.Lake;
import org.visionlake.runs.RunRecord;

/**
 * Runs the cells of one experiment type. A new experiment joins plans by implementing this and adding itself to
 * {@link CellRunners#available()}.
 */
public interface CellRunner {
    /** The {@code type} plans use for this experiment, e.g. {@code residual}. */
    String type();

    /**
     * The cell's effective settings, defaults filled in, as they would go into the run record. Throws a
     * VisionLakeException naming the parameter for an unknown parameter or a bad value, so a plan fails before
     * running anything.
     */
    Map<String, Object> effective(String dataset, Map<String, Object> parameters);

    /**
     * Runs the cell as run {@code cell.runId()}, continuing from its checkpoint where an earlier attempt left one.
     * Returns the complete record or throws; the run record says failed in that case.
     */
    RunRecord run(SparkSession spark, Lake lake, PlanCell cell);
}
