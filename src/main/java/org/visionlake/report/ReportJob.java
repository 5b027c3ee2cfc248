package org.visionlake.report;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visionlake.VisionLakeException;
import org.visionlake.lake.Lake;
import org.visionlake.runs.RunRecord;

/**
 * Builds one comparison report on the driver from complete runs of the lake: the data section for the datasets the
 * runs used (plus any named), then one section per experiment.
 */
public final class ReportJob {
    private static final Logger LOG = LoggerFactory.getLogger(ReportJob.class);

    private final SparkSession spark;
    private final Lake lake;

    public ReportJob(SparkSession spark, Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    /** What a report covered, for the CLI's summary. */
    public record Result(Path index, List<String> runs, List<String> datasets, List<String> figures) {}

    public Result write(List<String> runIds, String experiment, List<String> extraDatasets, String title, Path out) {
        ReportRuns runs = new ReportRuns(spark, lake);
        List<RunRecord> selected = runs.select(runIds, experiment);
        if (selected.isEmpty() && extraDatasets.isEmpty()) {
            throw new VisionLakeException(String.format(
                    "nothing to report in lake %s: no complete %sruns and no --dataset given; run an experiment"
                            + " first (visionlake experiment residual --dataset ...) or name datasets",
                    lake, experiment == null ? "" : experiment + " "));
        }
        Set<String> datasets = new LinkedHashSet<>();
        for (RunRecord run : selected) {
            datasetsOf(run).forEach(datasets::add);
        }
        datasets.addAll(extraDatasets);

        ReportBuilder report = new ReportBuilder(title);
        report.paragraph(String.format(
                "Generated %s from lake %s: %d runs, %d datasets.",
                Instant.now(), lake, selected.size(), datasets.size()));
        new DataSection(spark, lake).render(report, new ArrayList<>(datasets));
        List<RunRecord> residual =
                selected.stream().filter(r -> "residual".equals(r.experiment())).toList();
        if (!residual.isEmpty()) {
            new ResidualSection(runs, new FeatureMapSource(spark, runs)).render(report, residual);
        }
        List<RunRecord> transfer =
                selected.stream().filter(r -> "transfer".equals(r.experiment())).toList();
        if (!transfer.isEmpty()) {
            new TransferSection(runs).render(report, transfer);
        }
        Path index = report.write(out);
        LOG.info(
                "report written: path={} runs={} datasets={} figures={}",
                index,
                selected.size(),
                datasets.size(),
                report.figureFiles().size());
        return new Result(
                index, selected.stream().map(RunRecord::runId).toList(), List.copyOf(datasets), report.figureFiles());
    }

    private static List<String> datasetsOf(RunRecord run) {
        List<String> names = new ArrayList<>();
        for (String key : List.of("dataset", "target_dataset", "source_dataset")) {
            Object value = run.configuration().get(key);
            if (value instanceof String name && !name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }
}
