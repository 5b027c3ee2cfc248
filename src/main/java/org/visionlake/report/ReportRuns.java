package org.visionlake.report;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.visionlake.VisionLakeException;
import org.visionlake.lake.Lake;
import org.visionlake.runs.RunRecord;
import org.visionlake.runs.RunState;
import org.visionlake.runs.RunWriter;

/** Finds the runs a report covers and reads their tables; only complete runs are reported. */
public final class ReportRuns {
    private final SparkSession spark;
    private final Lake lake;

    public ReportRuns(SparkSession spark, Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    /** Runs named by id, or else every complete run of {@code experiment} (all experiments when null), by id. */
    public List<RunRecord> select(List<String> runIds, String experiment) {
        List<RunRecord> runs = new ArrayList<>();
        if (runIds != null && !runIds.isEmpty()) {
            for (String id : runIds) {
                RunRecord run = RunWriter.read(lake, id);
                if (run.state() != RunState.COMPLETE) {
                    throw new VisionLakeException(String.format(
                            "run '%s' is %s, not complete%s; report complete runs only (visionlake report without"
                                    + " --run picks them)",
                            id, run.state().json(), run.error() == null ? "" : " (" + run.error() + ")"));
                }
                runs.add(run);
            }
            return runs;
        }
        for (String id : lake.listComplete("runs", RunWriter.RECORD)) {
            RunRecord run = RunWriter.read(lake, id);
            if (run.state() == RunState.COMPLETE && (experiment == null || experiment.equals(run.experiment()))) {
                runs.add(run);
            }
        }
        return runs;
    }

    /** The rows of a run table ({@code metrics}, {@code gradient_flow}, ...) in the order given by {@code sort}. */
    public List<Row> table(RunRecord run, String table, String... sort) {
        Path path = new Path(lake.runPath(run.runId()), table + ".parquet");
        if (!lake.exists(path)) {
            throw new VisionLakeException(String.format(
                    "run '%s' has no %s table at %s; it was written by another version of VisionLake or is damaged",
                    run.runId(), table, path));
        }
        return sort.length == 0
                ? spark.read().parquet(path.toString()).collectAsList()
                : spark.read()
                        .parquet(path.toString())
                        .orderBy(sort[0], java.util.Arrays.copyOfRange(sort, 1, sort.length))
                        .collectAsList();
    }

    public Path file(RunRecord run, String relative) {
        return new Path(lake.runPath(run.runId()), relative);
    }

    public String text(RunRecord run, String relative) {
        return lake.readText(file(run, relative));
    }

    public Lake lake() {
        return lake;
    }
}
