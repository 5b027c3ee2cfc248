package org.visionlake.plan;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.SparkSession;
import org.visionlake.VisionLakeException;
import org.visionlake.experiment.residual.ResidualConfig;
import org.visionlake.experiment.residual.ResidualExperiment;
import org.visionlake.lake.Lake;
import org.visionlake.runs.RunRecord;
import org.visionlake.train.LearningRateSchedule;

/**
 * Plan cells of the plain-vs-residual experiment. Parameters carry the names and defaults of the options of
 * {@code visionlake experiment residual}, without the dashes.
 */
final class ResidualCellRunner implements CellRunner {
    static final List<String> PARAMETERS = List.of(
            "blocks",
            "epochs",
            "batch-size",
            "learning-rate",
            "schedule",
            "seed",
            "train-limit",
            "val-limit",
            "workers",
            "averaging-frequency",
            "prefetch",
            "train-eval-images");

    @Override
    public String type() {
        return ResidualConfig.EXPERIMENT;
    }

    @Override
    public Map<String, Object> effective(String dataset, Map<String, Object> parameters) {
        return config(dataset, parameters, null).asMap();
    }

    @Override
    public RunRecord run(SparkSession spark, Lake lake, PlanCell cell) {
        ResidualConfig config = config(cell.dataset(), cell.parameters(), cell.runId());
        return new ResidualExperiment(spark, lake).resume(config);
    }

    static ResidualConfig config(String dataset, Map<String, Object> parameters, String runId) {
        Set<String> unknown = new TreeSet<>(parameters.keySet());
        PARAMETERS.forEach(unknown::remove);
        if (!unknown.isEmpty()) {
            throw new VisionLakeException(String.format(
                    "unknown residual parameter(s) %s in the plan; residual cells take %s", unknown, PARAMETERS));
        }
        PlanValues values = new PlanValues(parameters);
        return new ResidualConfig(
                dataset,
                values.integer("blocks", 6),
                values.integer("epochs", 10),
                values.integer("batch-size", 32),
                values.decimal("learning-rate", 0.05),
                LearningRateSchedule.parse(values.text("schedule", "step")),
                values.integer("seed", 42),
                values.integer("train-limit", 0),
                values.integer("val-limit", 0),
                values.integer("workers", 2),
                values.integer("averaging-frequency", 5),
                values.integer("prefetch", 2),
                values.integer("train-eval-images", 512),
                64,
                runId);
    }
}
