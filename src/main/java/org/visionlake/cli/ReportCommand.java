package org.visionlake.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.visionlake.VisionLakeException;
import org.visionlake.lake.Json;
import org.visionlake.lake.Lake;
import org.visionlake.plan.PlanFile;
import org.visionlake.plan.PlanStatus;
import org.visionlake.report.ReportJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code visionlake report}: an HTML comparison report (with figures, tables and analysis) from runs of the lake. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "Write a self-contained HTML report (plus figures, CSV/JSON tables and a Markdown summary)"
                + " from complete runs of the lake.")
public final class ReportCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--run", paramLabel = "ID", description = "Run to report (repeatable); default: all complete runs.")
    List<String> runs = new ArrayList<>();

    @Option(
            names = "--experiment",
            paramLabel = "NAME",
            description = "Only runs of this experiment (residual, transfer).")
    String experiment;

    @Option(names = "--dataset", paramLabel = "NAME", description = "Also show this dataset (repeatable).")
    List<String> datasets = new ArrayList<>();

    @Option(
            names = "--plan",
            paramLabel = "PLAN.yaml",
            description = "Report the complete runs of this plan's cells, as one document.")
    Path plan;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Report folder (default: ${DEFAULT-VALUE}).",
            defaultValue = "${sys:visionlake.home:-.}/report")
    Path out;

    private static final String DEFAULT_TITLE = "VisionLake report";

    @Option(names = "--title", defaultValue = DEFAULT_TITLE, description = "Report title.")
    String title;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SparkSession spark = common.spark("report");
        Lake lake = common.lake(spark);
        if (plan != null) {
            PlanStatus status = PlanStatus.read(lake, PlanFile.read(plan));
            runs.addAll(status.completeRunIds());
            if (runs.isEmpty()) {
                throw new VisionLakeException("plan " + plan + " has no complete cells yet (" + status.counts()
                        + "); run it with 'visionlake plan run " + plan + "'");
            }
            if (title.equals(DEFAULT_TITLE)) {
                title = "VisionLake plan " + status.plan();
            }
        }
        ReportJob.Result result =
                new ReportJob(spark, lake).write(runs, experiment, datasets, title, out.toAbsolutePath());
        PrintWriter out = spec.commandLine().getOut();
        if (common.json()) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("index", result.index().toString());
            summary.put("runs", result.runs());
            summary.put("datasets", result.datasets());
            summary.put("figures", result.figures());
            out.println(Json.write(summary));
        } else {
            out.printf(
                    "report: %s (%d runs, %d datasets, %d figures)%n",
                    result.index(),
                    result.runs().size(),
                    result.datasets().size(),
                    result.figures().size());
            out.printf("open it with: xdg-open %s   (or any browser; it needs no network)%n", result.index());
        }
        out.flush();
        return 0;
    }
}
