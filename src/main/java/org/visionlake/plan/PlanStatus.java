package org.visionlake.plan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.visionlake.lake.Lake;
import org.visionlake.runs.RunRecord;
import org.visionlake.runs.RunState;
import org.visionlake.runs.RunWriter;

/**
 * Where every cell of a plan stands, read from the lake: what {@code visionlake plan status} prints, and what a report
 * uses to select a plan's runs ({@link Cell#runId()} with {@link Cell#grid()} as the cell's label).
 *
 * @param lockHolder who runs the plan now, or null
 */
public record PlanStatus(String plan, String description, String lockHolder, List<Cell> cells) {

    /**
     * One cell.
     *
     * @param parameters shared parameters and grid values as the plan writes them
     * @param grid the grid values alone
     * @param error why the last attempt failed (failed cells only)
     */
    public record Cell(
            String runId,
            String experiment,
            String dataset,
            Map<String, Object> parameters,
            Map<String, Object> grid,
            String key,
            CellState state,
            String error,
            String finishedAt) {}

    /** The status of {@code plan} in {@code lake} with this build's experiment types. */
    public static PlanStatus read(Lake lake, PlanFile plan) {
        return read(lake, plan, CellRunners.available());
    }

    public static PlanStatus read(Lake lake, PlanFile plan, Map<String, CellRunner> runners) {
        Optional<PlanLock.Holder> holder = PlanLock.holder(lake, plan.name());
        boolean live = holder.isPresent() && holder.get().alive(Instant.now());
        List<Cell> cells = new ArrayList<>();
        for (PlanCell cell : PlanCell.expand(plan, runners)) {
            cells.add(cell(lake, cell, runners.containsKey(cell.experiment()), live));
        }
        return new PlanStatus(
                plan.name(), plan.description(), live ? holder.get().describe() : null, List.copyOf(cells));
    }

    private static Cell cell(Lake lake, PlanCell cell, boolean supported, boolean live) {
        RunRecord record = lake.exists(new Path(lake.runPath(cell.runId()), RunWriter.RECORD))
                ? RunWriter.read(lake, cell.runId())
                : null;
        CellState state;
        if (record != null && record.state() == RunState.COMPLETE) {
            state = CellState.DONE;
        } else if (!supported) {
            state = CellState.UNSUPPORTED;
        } else if (record == null) {
            state = CellState.PENDING;
        } else if (record.state() == RunState.FAILED) {
            state = CellState.FAILED;
        } else {
            state = live ? CellState.RUNNING : CellState.INTERRUPTED;
        }
        return new Cell(
                cell.runId(),
                cell.experiment(),
                cell.dataset(),
                cell.parameters(),
                cell.grid(),
                cell.key(),
                state,
                record == null ? null : record.error(),
                record == null ? null : record.finishedAt());
    }

    /** Cells per state, every state present (0 where none). */
    public Map<CellState, Integer> counts() {
        Map<CellState, Integer> counts = new EnumMap<>(CellState.class);
        for (CellState state : CellState.values()) {
            counts.put(state, 0);
        }
        cells.forEach(cell -> counts.merge(cell.state(), 1, Integer::sum));
        return counts;
    }

    /** The run ids of the complete cells, in plan order: the runs a report of the plan compares. */
    public List<String> completeRunIds() {
        return cells.stream()
                .filter(cell -> cell.state() == CellState.DONE)
                .map(Cell::runId)
                .toList();
    }
}
