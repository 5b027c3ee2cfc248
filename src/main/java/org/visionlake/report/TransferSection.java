package org.visionlake.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.visionlake.runs.RunRecord;

/**
 * The transfer experiment in a report: accuracy of the three approaches per epoch (with the stage-1 to stage-2
 * transition of fine-tuning marked) and against the target training-set size, trainable parameters, wall time,
 * and the written analysis.
 */
public final class TransferSection {
    static final List<String> APPROACHES = List.of("scratch", "frozen", "finetune");

    private final ReportRuns runs;

    public TransferSection(ReportRuns runs) {
        this.runs = runs;
    }

    /** One epoch of one approach at one training-set size. */
    record Epoch(
            String approach,
            int trainSize,
            String stage,
            int epoch,
            double trainLoss,
            double trainAcc,
            double valLoss,
            double valAcc,
            double seconds) {}

    /** The final numbers of one approach at one size. */
    record Outcome(
            String approach,
            int trainSize,
            long trainableParams,
            long totalParams,
            double valAcc,
            double testAcc,
            double trainSeconds,
            double imagesPerSecond) {}

    public void render(ReportBuilder report, List<RunRecord> transferRuns) {
        report.section("transfer", "Transfer experiment: scratch vs frozen feature extractor vs fine-tuning");
        report.paragraph("Objective: reuse a network pretrained on a big source dataset for a small target task, and"
                + " compare a baseline trained from scratch, the pretrained backbone frozen as a feature extractor"
                + " under a new head, and fine-tuning (the stage-1 head, then the top stage unfrozen at a lower"
                + " learning rate), at several target training-set sizes.");
        for (RunRecord run : transferRuns) {
            renderRun(report, run);
        }
    }

    private void renderRun(ReportBuilder report, RunRecord run) {
        List<Epoch> epochs = epochs(run);
        List<Outcome> outcomes = outcomes(run);
        Map<String, Object> config = run.configuration();
        int stage1 = intOf(config.get("stage1_epochs"), 0);
        report.subsection("Run " + run.runId());
        report.paragraph(String.format(
                Locale.ROOT,
                "Source model %s, target dataset %s, training-set sizes %s, %s stage-1 epochs and %s stage-2 epochs,"
                        + " batch %s, seed %s.",
                config.get("source_model"),
                config.get("target_dataset"),
                config.get("train_sizes"),
                config.get("stage1_epochs"),
                config.get("stage2_epochs"),
                config.get("batch_size"),
                config.get("seed")));

        String prefix = "transfer-" + run.runId();
        int largest = outcomes.stream().mapToInt(Outcome::trainSize).max().orElse(0);
        report.svgFigure(
                prefix + "-epochs",
                epochChart(epochs, largest, stage1),
                "Validation accuracy per epoch at " + largest
                        + " training images; fine-tuning continues from the frozen extractor's stage-1 head");
        report.svgFigure(
                prefix + "-learning-curve",
                learningCurve(outcomes),
                "Test accuracy against the number of" + " target training images (log scale)");
        report.svgFigure(
                prefix + "-trainable",
                trainableChart(outcomes, largest),
                "Trainable parameters per approach" + " (log scale)");
        report.table(
                prefix + "-outcomes",
                List.of(
                        "approach",
                        "train_size",
                        "trainable_params",
                        "total_params",
                        "val_accuracy",
                        "test_accuracy",
                        "train_seconds",
                        "images_per_second"),
                outcomes.stream()
                        .map(o -> List.<Object>of(
                                o.approach(),
                                o.trainSize(),
                                o.trainableParams(),
                                o.totalParams(),
                                o.valAcc(),
                                o.testAcc(),
                                o.trainSeconds(),
                                o.imagesPerSecond()))
                        .toList());
        report.table(
                prefix + "-metrics",
                List.of(
                        "approach",
                        "train_size",
                        "stage",
                        "epoch",
                        "train_loss",
                        "train_accuracy",
                        "val_loss",
                        "val_accuracy",
                        "epoch_seconds"),
                epochs.stream()
                        .map(e -> List.<Object>of(
                                e.approach(),
                                e.trainSize(),
                                e.stage(),
                                e.epoch(),
                                e.trainLoss(),
                                e.trainAcc(),
                                e.valLoss(),
                                e.valAcc(),
                                e.seconds()))
                        .toList());
        report.subsection("Analysis of run " + run.runId());
        report.bullets(TransferAnalysis.answers(epochs, outcomes, stage1));
    }

    List<Epoch> epochs(RunRecord run) {
        List<Epoch> epochs = new ArrayList<>();
        for (Row r : runs.table(run, "metrics", "approach", "train_size", "stage", "epoch")) {
            epochs.add(new Epoch(
                    r.getAs("approach"),
                    r.<Integer>getAs("train_size"),
                    r.getAs("stage"),
                    r.<Integer>getAs("epoch"),
                    r.<Double>getAs("train_loss"),
                    r.<Double>getAs("train_accuracy"),
                    r.<Double>getAs("val_loss"),
                    r.<Double>getAs("val_accuracy"),
                    r.<Double>getAs("epoch_seconds")));
        }
        return epochs;
    }

    @SuppressWarnings("unchecked")
    static List<Outcome> outcomes(RunRecord run) {
        Object results = run.metrics().get("results");
        List<Outcome> outcomes = new ArrayList<>();
        if (!(results instanceof List<?> list)) {
            return outcomes;
        }
        for (Object item : list) {
            Map<String, Object> r = (Map<String, Object>) item;
            outcomes.add(new Outcome(
                    String.valueOf(r.get("approach")),
                    intOf(r.get("train_size"), 0),
                    longOf(r.get("trainable_params")),
                    longOf(r.get("total_params")),
                    doubleOf(r.get("val_accuracy")),
                    doubleOf(r.get("test_accuracy")),
                    doubleOf(r.get("train_seconds")),
                    doubleOf(r.get("images_per_second"))));
        }
        outcomes.sort(
                Comparator.comparingInt(Outcome::trainSize).thenComparingInt(o -> APPROACHES.indexOf(o.approach())));
        return outcomes;
    }

    /** Epoch index on a shared axis: stage-2 epochs of fine-tuning follow the stage-1 epochs they build on. */
    static int axisEpoch(Epoch e, int stage1) {
        return e.stage().contains("2") ? stage1 + e.epoch() : e.epoch();
    }

    private static String epochChart(List<Epoch> epochs, int size, int stage1) {
        LineChart chart = new LineChart(
                "Validation accuracy per epoch (" + size + " images)", "epoch", "validation accuracy", false);
        for (String approach : APPROACHES) {
            List<Epoch> mine = epochs.stream()
                    .filter(e -> e.approach().equals(approach) && e.trainSize() == size)
                    .sorted(Comparator.comparingInt(e -> axisEpoch(e, stage1)))
                    .toList();
            if (!mine.isEmpty()) {
                chart.add(
                        approach,
                        mine.stream().mapToDouble(e -> axisEpoch(e, stage1)).toArray(),
                        mine.stream().mapToDouble(Epoch::valAcc).toArray(),
                        false);
            }
        }
        if (stage1 > 0) {
            chart.mark(stage1 + 0.5, "stage 1 -> 2");
        }
        return chart.toSvg();
    }

    private static String learningCurve(List<Outcome> outcomes) {
        LineChart chart = new LineChart(
                        "How much data does transfer need?", "target training images", "test accuracy", false)
                .logX();
        for (String approach : APPROACHES) {
            List<Outcome> mine =
                    outcomes.stream().filter(o -> o.approach().equals(approach)).toList();
            if (!mine.isEmpty()) {
                chart.add(
                        approach,
                        mine.stream().mapToDouble(Outcome::trainSize).toArray(),
                        mine.stream().mapToDouble(Outcome::testAcc).toArray(),
                        false);
            }
        }
        return chart.toSvg();
    }

    private static String trainableChart(List<Outcome> outcomes, int size) {
        BarChart chart = new BarChart("Trainable parameters (" + size + " images)", "params", true);
        for (Outcome o : outcomes) {
            if (o.trainSize() == size) {
                chart.add(o.approach(), o.trainableParams());
            }
        }
        return chart.toSvg();
    }

    static TreeSet<Integer> sizes(List<Outcome> outcomes) {
        TreeSet<Integer> sizes = new TreeSet<>();
        outcomes.forEach(o -> sizes.add(o.trainSize()));
        return sizes;
    }

    static int intOf(Object value, int fallback) {
        return value instanceof Number n ? n.intValue() : fallback;
    }

    private static long longOf(Object value) {
        return value instanceof Number n ? n.longValue() : 0L;
    }

    private static double doubleOf(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
