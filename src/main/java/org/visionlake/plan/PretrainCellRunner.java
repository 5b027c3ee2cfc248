package org.visionlake.plan;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.visionlake.experiment.transfer.Pretrainer;
import org.visionlake.lake.Lake;
import org.visionlake.runs.RunRecord;
import org.visionlake.runs.RunWriter;

/**
 * Plan cells that pretrain a backbone on the cell's dataset and register it under {@code name}, so that later
 * transfer cells of the same plan can name it as their {@code source-model}. Parameters follow the options of
 * {@code visionlake pretrain}, without the dashes.
 */
final class PretrainCellRunner implements CellRunner {
    static final List<String> PARAMETERS = List.of(
            "name", "blocks", "epochs", "batch-size", "learning-rate", "train-limit", "eval-limit", "seed", "workers");

    @Override
    public String type() {
        return Pretrainer.EXPERIMENT;
    }

    @Override
    public Map<String, Object> effective(String dataset, Map<String, Object> parameters) {
        return settings(dataset, parameters).asMap();
    }

    @Override
    public RunRecord run(SparkSession spark, Lake lake, PlanCell cell) {
        new Pretrainer(spark, lake).run(settings(cell.dataset(), cell.parameters()), cell.runId());
        return RunWriter.read(lake, cell.runId());
    }

    static Pretrainer.Settings settings(String dataset, Map<String, Object> parameters) {
        PlanValues values = new PlanValues(parameters);
        values.requireKnown("pretrain", PARAMETERS);
        return new Pretrainer.Settings(
                dataset,
                values.text("name", null),
                values.integer("blocks", 1),
                values.integer("epochs", 1),
                values.integer("batch-size", 64),
                values.decimal("learning-rate", 0.05),
                values.integer("train-limit", 0),
                values.integer("eval-limit", 2000),
                values.integer("seed", 42),
                values.integer("workers", 2));
    }
}
