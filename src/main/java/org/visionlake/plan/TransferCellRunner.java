package org.visionlake.plan;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.visionlake.experiment.transfer.TransferExperiment;
import org.visionlake.experiment.transfer.TransferSettings;
import org.visionlake.lake.Lake;
import org.visionlake.runs.RunRecord;
import org.visionlake.runs.RunWriter;

/**
 * Plan cells of the transfer experiment. Parameters carry the names and defaults of the options of
 * {@code visionlake experiment transfer}, without the dashes; the cell's dataset is the target dataset.
 */
final class TransferCellRunner implements CellRunner {
    static final List<String> PARAMETERS = List.of(
            "source-model",
            "train-sizes",
            "stage1-epochs",
            "stage2-epochs",
            "batch-size",
            "lr",
            "fine-tune-factor",
            "head-hidden",
            "eval-limit",
            "seed",
            "source-input-size",
            "workers");

    @Override
    public String type() {
        return TransferExperiment.EXPERIMENT;
    }

    @Override
    public Map<String, Object> effective(String dataset, Map<String, Object> parameters) {
        return settings(dataset, parameters).asMap();
    }

    @Override
    public RunRecord run(SparkSession spark, Lake lake, PlanCell cell) {
        new TransferExperiment(spark, lake).run(settings(cell.dataset(), cell.parameters()), cell.runId());
        return RunWriter.read(lake, cell.runId());
    }

    static TransferSettings settings(String dataset, Map<String, Object> parameters) {
        PlanValues values = new PlanValues(parameters);
        values.requireKnown("transfer", PARAMETERS);
        return new TransferSettings(
                values.text("source-model", null),
                dataset,
                values.integers("train-sizes", List.of(100, 300, 1000, 3000)),
                values.integer("stage1-epochs", 6),
                values.integer("stage2-epochs", 3),
                values.integer("batch-size", 16),
                values.decimal("lr", 0.01),
                values.decimal("fine-tune-factor", 0.1),
                values.integer("head-hidden", 64),
                values.integer("eval-limit", 1000),
                values.integer("seed", 42),
                values.integer("source-input-size", 32),
                values.integer("workers", 2));
    }
}
