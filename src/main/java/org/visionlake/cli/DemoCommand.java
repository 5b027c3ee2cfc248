package org.visionlake.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.visionlake.demo.DemoPipeline;
import org.visionlake.lake.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code visionlake demo}: the main job. On the sample that ships inside the jar (2,000 Fashion-MNIST images), it
 * ingests, runs a small residual and a small transfer experiment on Spark in local mode, and writes the report.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Run the whole pipeline on the embedded Fashion-MNIST sample: ingest, residual and transfer"
                + " experiments on Spark, and the HTML report (a little over a minute on 2 cores).")
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(
            names = "--name",
            defaultValue = "fashion-mnist-sample",
            description = "Dataset name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "${sys:visionlake.home:-.}/report",
            description = "Report folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--quick", description = "Fewer images and epochs (for smoke tests); the report looks the same.")
    boolean quick;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        SparkSession spark = common.spark("demo");
        DemoPipeline.Result result = new DemoPipeline(
                        spark, common.lake(spark), common.json() ? new PrintWriter(PrintWriter.nullWriter()) : out)
                .run(name, this.out.toAbsolutePath(), quick);
        if (common.json()) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("dataset", result.dataset());
            summary.put("runs", result.runs());
            summary.put("report", result.report().toString());
            summary.put("seconds", result.seconds());
            out.println(Json.write(summary));
        } else {
            out.printf("%ndemo finished in %.0f s%n", result.seconds());
            out.printf("report: %s%n", result.report());
            out.printf("open it in a browser (no network needed), e.g.: xdg-open %s%n", result.report());
            out.printf("the lake: visionlake datasets list --lake %s%n", common.lake);
        }
        out.flush();
        return 0;
    }
}
