package org.visionlake.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.visionlake.runs.ConfigKey;

/**
 * One cell of a plan: an experiment with one value for every grid axis, run as one lake run whose id is derived from
 * the plan name and a hash of the cell's effective configuration. The same settings give the same run id on every
 * plan run, which is how completed cells are recognised and skipped.
 *
 * @param parameters the cell's settings as the plan writes them (shared parameters and grid values)
 * @param grid the grid values alone, what tells the cells of one experiment apart
 * @param effective the settings with the experiment's defaults filled in; what the key hashes
 * @param key hash of experiment type and effective settings
 */
public record PlanCell(
        String plan,
        String experiment,
        String dataset,
        Map<String, Object> parameters,
        Map<String, Object> grid,
        Map<String, Object> effective,
        String key,
        String runId) {

    /** The cells of {@code plan}, experiment by experiment, grid combinations in the order the plan writes them. */
    public static List<PlanCell> expand(PlanFile plan, Map<String, CellRunner> runners) {
        List<PlanCell> cells = new ArrayList<>();
        for (PlanFile.PlanExperiment experiment : plan.experiments()) {
            for (Map<String, Object> grid : combinations(PlanFile.grid(experiment))) {
                Map<String, Object> parameters = new LinkedHashMap<>();
                if (experiment.parameters() != null) {
                    parameters.putAll(experiment.parameters());
                }
                parameters.putAll(grid);
                cells.add(cell(plan.name(), experiment, parameters, grid, runners.get(experiment.type())));
            }
        }
        return cells;
    }

    private static PlanCell cell(
            String plan,
            PlanFile.PlanExperiment experiment,
            Map<String, Object> parameters,
            Map<String, Object> grid,
            CellRunner runner) {
        // Without a runner (an experiment type this build does not have) the cell is keyed by what the plan says.
        Map<String, Object> effective =
                runner == null ? new LinkedHashMap<>(parameters) : runner.effective(experiment.dataset(), parameters);
        Map<String, Object> keyed = new LinkedHashMap<>();
        keyed.put("experiment", experiment.type());
        keyed.put("dataset", experiment.dataset());
        keyed.put("configuration", effective);
        String key = ConfigKey.of(keyed, 12);
        String runId = plan + "-" + experiment.type() + "-" + key;
        return new PlanCell(plan, experiment.type(), experiment.dataset(), parameters, grid, effective, key, runId);
    }

    static List<Map<String, Object>> combinations(Map<String, List<Object>> grid) {
        List<Map<String, Object>> result = new ArrayList<>();
        result.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<Object>> axis : grid.entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> partial : result) {
                for (Object value : axis.getValue()) {
                    Map<String, Object> extended = new LinkedHashMap<>(partial);
                    extended.put(axis.getKey(), value);
                    next.add(extended);
                }
            }
            result = next;
        }
        return result;
    }
}
