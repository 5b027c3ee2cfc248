package org.visionlake.plan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The experiment types plans can run in this build. */
public final class CellRunners {
    private CellRunners() {}

    public static Map<String, CellRunner> available() {
        Map<String, CellRunner> runners = new LinkedHashMap<>();
        for (CellRunner runner :
                List.<CellRunner>of(new ResidualCellRunner(), new PretrainCellRunner(), new TransferCellRunner())) {
            runners.put(runner.type(), runner);
        }
        return runners;
    }
}
