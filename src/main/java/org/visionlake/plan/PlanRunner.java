package org.visionlake.plan;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.visionlake.VisionLakeException;
import org.visionlake.lake.Lake;
import org.visionlake.lake.LakeDatasets;

/**
 * Runs a plan: takes its lock, ingests the datasets the lake lacks, then runs every cell that is not complete, in
 * plan order. Complete cells are skipped, interrupted and failed ones are run again (continuing from their last
 * checkpoint), so a plan run after a crash carries on where the last one stopped. A failing cell does not stop the
 * plan; it is recorded failed and retried next time.
 */
public final class PlanRunner {
    private static final Logger LOG = LoggerFactory.getLogger(PlanRunner.class);

    private final SparkSession spark;
    private final Lake lake;
    private final Map<String, CellRunner> runners;
    private final DatasetSource datasets;

    /** What a plan run did; {@code failed} and {@code unsupported} hold run ids. */
    public record Outcome(int cells, int skipped, int completed, List<String> failed, List<String> unsupported) {
        public boolean allDone() {
            return failed.isEmpty() && unsupported.isEmpty();
        }
    }

    public PlanRunner(SparkSession spark, Lake lake, Map<String, CellRunner> runners, DatasetSource datasets) {
        this.spark = spark;
        this.lake = lake;
        this.runners = runners;
        this.datasets = datasets;
    }

    public Outcome run(PlanFile plan, PrintWriter out) {
        List<PlanCell> cells = PlanCell.expand(plan, runners);
        try (PlanLock lock = PlanLock.acquire(lake, plan.name())) {
            PlanStatus status = PlanStatus.read(lake, plan, runners);
            ensureDatasets(plan, status);
            return runCells(cells, status, out);
        }
    }

    private void ensureDatasets(PlanFile plan, PlanStatus status) {
        Set<String> needed = new LinkedHashSet<>();
        status.cells().stream()
                .filter(cell -> cell.state() != CellState.DONE && cell.state() != CellState.UNSUPPORTED)
                .forEach(cell -> needed.add(cell.dataset()));
        List<String> present = new LakeDatasets(lake).names();
        for (String name : needed) {
            if (present.contains(name)) {
                continue;
            }
            PlanFile.PlanDataset dataset = plan.datasets().get(name);
            if (dataset == null) {
                throw new VisionLakeException(String.format(
                        "plan '%s' needs dataset '%s', which lake %s does not have and the plan's 'datasets' does"
                                + " not describe; add it there (source, format, options) or ingest it first",
                        plan.name(), name, lake));
            }
            LOG.info(
                    "plan dataset missing, ingesting: plan={} dataset={} source={}",
                    plan.name(),
                    name,
                    dataset.source());
            datasets.ingest(name, dataset);
        }
    }

    private Outcome runCells(List<PlanCell> cells, PlanStatus status, PrintWriter out) {
        int skipped = 0;
        int completed = 0;
        List<String> failed = new ArrayList<>();
        List<String> unsupported = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            PlanCell cell = cells.get(i);
            CellState before = status.cells().get(i).state();
            String label = String.format(
                    "cell %d/%d %s %s %s", i + 1, cells.size(), cell.experiment(), cell.grid(), cell.runId());
            if (before == CellState.DONE) {
                out.println(label + ": done, skipped");
                skipped++;
                continue;
            }
            if (before == CellState.UNSUPPORTED) {
                out.println(label + ": experiment type '" + cell.experiment() + "' is not available in this build"
                        + " (available: " + runners.keySet() + "), left pending");
                unsupported.add(cell.runId());
                continue;
            }
            out.println(
                    label + ": " + (before == CellState.PENDING ? "starting" : "resuming " + before.json() + " run"));
            out.flush();
            if (runCell(cell)) {
                completed++;
                out.println(label + ": complete");
            } else {
                failed.add(cell.runId());
                out.println(label + ": failed (see its run record; the next plan run retries it)");
            }
            out.flush();
        }
        return new Outcome(cells.size(), skipped, completed, failed, unsupported);
    }

    private boolean runCell(PlanCell cell) {
        MDC.put("run", cell.runId());
        try {
            runners.get(cell.experiment()).run(spark, lake, cell);
            return true;
        } catch (RuntimeException e) {
            // The run record holds the error; the plan goes on with the next cell.
            LOG.error("plan cell failed: run={} error={}", cell.runId(), e.toString());
            return false;
        } finally {
            MDC.remove("run");
        }
    }
}
