package org.visionlake.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.visionlake.VisionLakeException;
import org.visionlake.lake.Json;
import org.visionlake.lake.Lake;
import org.visionlake.plan.CellRunners;
import org.visionlake.plan.CellState;
import org.visionlake.plan.PlanFile;
import org.visionlake.plan.PlanRunner;
import org.visionlake.plan.PlanStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code visionlake plan run|status PLAN.yaml}: dataset-scale experiment plans, resumable cell by cell. */
@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        description = "Run experiment plans (datasets plus parameter grids) and show where their cells stand.",
        subcommands = {PlanCommand.Run.class, PlanCommand.Status.class})
public final class PlanCommand implements Runnable {
    /** Exit status of a plan run that left cells failed or unsupported. */
    static final int EXIT_CELLS_LEFT = 3;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = "Ingest the plan's missing datasets and run every cell that is not complete; interrupted"
                    + " and failed cells run again (residual cells from their last checkpoint)."
                    + " Exit status 3 if cells are left.")
    static final class Run implements java.util.concurrent.Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "PLAN.yaml", description = "The plan file.")
        Path planFile;

        @Override
        public Integer call() {
            PlanFile plan = PlanFile.read(planFile);
            SparkSession spark = common.spark("plan " + plan.name());
            Lake lake = common.lake(spark);
            PrintWriter out = spec.commandLine().getOut();
            PlanRunner.Outcome outcome = new PlanRunner(
                            spark, lake, CellRunners.available(), (name, dataset) -> ingest(lake, name, dataset))
                    .run(plan, out);
            if (common.json()) {
                out.println(Json.write(outcome));
            } else {
                out.printf(
                        "plan %s: %d cells, %d already done, %d completed now, %d failed, %d unsupported%n",
                        plan.name(),
                        outcome.cells(),
                        outcome.skipped(),
                        outcome.completed(),
                        outcome.failed().size(),
                        outcome.unsupported().size());
            }
            return outcome.allDone() ? 0 : EXIT_CELLS_LEFT;
        }

        /** The plan's dataset through {@code visionlake ingest}, so plans accept exactly the ingest options. */
        private void ingest(Lake lake, String name, PlanFile.PlanDataset dataset) {
            String source = PlanFile.expand(dataset.source(), System.getenv());
            // A relative local path is relative to the plan file, so that a plan and its data can travel together.
            if (!source.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")
                    && !Path.of(source).isAbsolute()) {
                source = planFile.toAbsolutePath()
                        .getParent()
                        .resolve(source)
                        .normalize()
                        .toString();
            }
            List<String> args = new ArrayList<>(List.of("ingest", source, "--name", name, "--lake", lake.toString()));
            if (dataset.format() != null) {
                args.addAll(List.of("--format", dataset.format()));
            }
            if (dataset.options() != null) {
                for (Map.Entry<String, Object> option : dataset.options().entrySet()) {
                    args.add("--" + option.getKey());
                    args.add(
                            option.getValue() instanceof List<?> list
                                    ? list.stream().map(String::valueOf).collect(Collectors.joining(","))
                                    : String.valueOf(option.getValue()));
                }
            }
            CommandLine ingest = VisionLake.commandLine();
            ingest.setOut(spec.commandLine().getOut());
            ingest.setErr(spec.commandLine().getErr());
            int status = ingest.execute(args.toArray(String[]::new));
            if (status != 0) {
                throw new VisionLakeException(String.format(
                        "ingest of plan dataset '%s' from %s failed (exit status %d, messages above); fix the"
                                + " dataset's entry in the plan and run the plan again",
                        name, dataset.source(), status));
            }
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Show each cell of the plan: done, running, interrupted, failed, pending, unsupported.")
    static final class Status implements Runnable {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "PLAN.yaml", description = "The plan file.")
        Path planFile;

        @Override
        public void run() {
            PlanFile plan = PlanFile.read(planFile);
            PlanStatus status = PlanStatus.read(common.lakeWithoutSpark(), plan);
            PrintWriter out = spec.commandLine().getOut();
            if (common.json()) {
                out.println(Json.write(status));
                return;
            }
            out.printf(
                    "plan %s: %s%n",
                    plan.name(), status.lockHolder() == null ? "not running" : "running, " + status.lockHolder());
            out.printf("%-4s %-12s %-11s %-48s %s%n", "CELL", "EXPERIMENT", "STATE", "RUN", "GRID");
            for (int i = 0; i < status.cells().size(); i++) {
                PlanStatus.Cell cell = status.cells().get(i);
                out.printf(
                        "%-4d %-12s %-11s %-48s %s%n",
                        i + 1, cell.experiment(), cell.state().json(), cell.runId(), cell.grid());
                if (cell.state() == CellState.FAILED) {
                    out.printf("     failed, retried by the next plan run: %s%n", cell.error());
                }
            }
            out.println(status.counts().entrySet().stream()
                    .map(e -> e.getKey().json() + " " + e.getValue())
                    .collect(Collectors.joining(", ")));
        }
    }
}
