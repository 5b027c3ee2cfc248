package org.visionlake.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.visionlake.runs.RunRecord;

/**
 * The residual experiment in a report: curves of plain vs residual on shared axes, the per-layer gradient flow at
 * initialisation and after training, parameter counts, model summaries, timings, and the written analysis.
 */
public final class ResidualSection {
    private final ReportRuns runs;
    private final FeatureMapSource featureMaps;

    public ResidualSection(ReportRuns runs, FeatureMapSource featureMaps) {
        this.runs = runs;
        this.featureMaps = featureMaps;
    }

    /** One epoch of one network, as the run's metrics table holds it. */
    record Epoch(
            String network,
            int epoch,
            double trainLoss,
            double trainAcc,
            double valLoss,
            double valAcc,
            double seconds,
            double imagesPerSecond) {}

    /** Mean absolute gradient of one weight layer at one epoch (0 = initialisation). */
    record LayerGradient(String network, int epoch, String layer, int depth, double meanAbs, double updateRatio) {}

    public void render(ReportBuilder report, List<RunRecord> residualRuns) {
        report.section("residual", "Residual experiment: plain vs residual networks");
        report.paragraph("Objective: train a plain CNN and the same CNN with identity shortcuts (same blocks, nearly"
                + " the same parameters) on the same data, and compare how they train and how gradients flow back"
                + " through them (He et al. 2015).");
        for (RunRecord run : residualRuns) {
            renderRun(report, run);
        }
        if (residualRuns.size() > 1) {
            depthTable(report, residualRuns);
        }
    }

    private void renderRun(ReportBuilder report, RunRecord run) {
        List<Epoch> epochs = epochs(run);
        List<LayerGradient> gradients = gradients(run);
        Map<String, Object> config = run.configuration();
        report.subsection("Run " + run.runId());
        report.paragraph(String.format(
                Locale.ROOT,
                "Dataset %s, %s blocks per stage (%s weight layers), %s epochs, batch %s per worker on %s workers,"
                        + " learning rate %s (%s), seed %s, Spark master %s.",
                config.get("dataset"),
                config.get("blocks"),
                config.get("weight_layers"),
                config.get("epochs"),
                config.get("batch_size_per_worker"),
                config.get("workers"),
                config.get("learning_rate"),
                config.get("schedule"),
                config.get("seed"),
                config.get("spark_master")));

        String prefix = "residual-" + run.runId();
        report.svgFigure(
                prefix + "-loss",
                curves(epochs, "Loss", true),
                "Training (solid) and validation (dashed)" + " loss per epoch");
        report.svgFigure(
                prefix + "-accuracy",
                curves(epochs, "Accuracy", false),
                "Training (solid) and validation" + " (dashed) accuracy per epoch");
        report.svgFigure(
                prefix + "-gradient-flow",
                gradientChart(gradients),
                "Mean absolute gradient of each weight"
                        + " layer on a fixed probe batch, at initialisation and after the last epoch (log scale)");

        report.table(
                prefix + "-metrics",
                List.of(
                        "network",
                        "epoch",
                        "train_loss",
                        "train_accuracy",
                        "val_loss",
                        "val_accuracy",
                        "epoch_seconds",
                        "images_per_second"),
                epochs.stream()
                        .map(e -> List.<Object>of(
                                e.network(),
                                e.epoch(),
                                e.trainLoss(),
                                e.trainAcc(),
                                e.valLoss(),
                                e.valAcc(),
                                e.seconds(),
                                e.imagesPerSecond()))
                        .toList());
        report.table(
                prefix + "-models",
                List.of("network", "parameters", "final_val_accuracy", "mean_images_per_s"),
                List.of(modelRow(run, "plain"), modelRow(run, "residual")));
        report.table(
                prefix + "-gradient-flow",
                List.of("network", "epoch", "layer", "depth", "mean_abs_gradient", "update_ratio"),
                gradients.stream()
                        .map(g -> List.<Object>of(
                                g.network(), g.epoch(), g.layer(), g.depth(), g.meanAbs(), g.updateRatio()))
                        .toList());

        report.subsection("Analysis of run " + run.runId());
        report.bullets(ResidualAnalysis.answers(run, epochs, gradients));

        for (String network : List.of("plain", "residual")) {
            report.subsection("Model summary: " + network);
            report.preformatted(runs.text(run, "summaries/" + network + ".txt"));
        }
        featureMaps.render(report, run, "models/residual.zip", prefix, String.valueOf(config.get("dataset")));
    }

    private static List<Object> modelRow(RunRecord run, String network) {
        Map<String, Object> m = run.metrics();
        return List.of(
                network,
                m.get(network + "_params"),
                m.get(network + "_val_accuracy"),
                m.get(network + "_images_per_second"));
    }

    private void depthTable(ReportBuilder report, List<RunRecord> residualRuns) {
        report.subsection("Depth comparison");
        List<RunRecord> sorted = new ArrayList<>(residualRuns);
        sorted.sort(Comparator.comparingInt(r -> ((Number) r.configuration().get("blocks")).intValue()));
        List<List<Object>> rows = new ArrayList<>();
        for (RunRecord run : sorted) {
            Map<String, Object> m = run.metrics();
            rows.add(List.of(
                    run.configuration().get("blocks"),
                    run.configuration().get("weight_layers"),
                    run.configuration().get("epochs"),
                    m.get("plain_val_accuracy"),
                    m.get("residual_val_accuracy"),
                    PAPER_RESNET_ACCURACY.getOrDefault(
                            ((Number) run.configuration().get("weight_layers")).intValue(), Double.NaN),
                    run.runId()));
        }
        report.paragraph("The paper column is the CIFAR-10 test accuracy that He et al. (2015, table 6) report for"
                + " ResNets of that depth after 64k iterations with augmentation (100 - test error); its plain"
                + " networks are only plotted there (figure 6), deeper ones training worse. Runs here differ in"
                + " epochs, augmentation and the split they are scored on, so compare the trend, not the level.");
        report.table(
                "residual-depth-sweep",
                List.of(
                        "blocks",
                        "weight_layers",
                        "epochs",
                        "plain_val_accuracy",
                        "residual_val_accuracy",
                        "paper_resnet_test_accuracy",
                        "run"),
                rows);
    }

    /** He et al. 2015, table 6: CIFAR-10 test error of ResNet-20/32/44/56/110/1202, as accuracy. */
    private static final Map<Integer, Double> PAPER_RESNET_ACCURACY =
            Map.of(20, 0.9125, 32, 0.9249, 44, 0.9283, 56, 0.9303, 110, 0.9357, 1202, 0.9207);

    List<Epoch> epochs(RunRecord run) {
        List<Epoch> epochs = new ArrayList<>();
        for (Row r : runs.table(run, "metrics", "network", "epoch")) {
            epochs.add(new Epoch(
                    r.getAs("network"),
                    r.<Integer>getAs("epoch"),
                    r.<Double>getAs("train_loss"),
                    r.<Double>getAs("train_accuracy"),
                    r.<Double>getAs("val_loss"),
                    r.<Double>getAs("val_accuracy"),
                    r.<Double>getAs("epoch_seconds"),
                    r.<Double>getAs("images_per_second")));
        }
        return epochs;
    }

    List<LayerGradient> gradients(RunRecord run) {
        List<LayerGradient> gradients = new ArrayList<>();
        for (Row r : runs.table(run, "gradient_flow", "network", "epoch", "depth")) {
            gradients.add(new LayerGradient(
                    r.getAs("network"),
                    r.<Integer>getAs("epoch"),
                    r.getAs("layer"),
                    r.<Integer>getAs("depth"),
                    r.<Double>getAs("mean_abs_gradient"),
                    r.<Double>getAs("update_ratio")));
        }
        return gradients;
    }

    private static String curves(List<Epoch> epochs, String what, boolean loss) {
        LineChart chart = new LineChart(what + ": plain vs residual", "epoch", what.toLowerCase(Locale.ROOT), false);
        List<String> networks = List.of("plain", "residual");
        for (String network : networks) {
            int color = networks.indexOf(network);
            List<Epoch> mine =
                    epochs.stream().filter(e -> e.network().equals(network)).toList();
            double[] x = mine.stream().mapToDouble(Epoch::epoch).toArray();
            chart.add(
                    network + " train",
                    x,
                    mine.stream()
                            .mapToDouble(e -> loss ? e.trainLoss() : e.trainAcc())
                            .toArray(),
                    false,
                    color);
            chart.add(
                    network + " val",
                    x,
                    mine.stream()
                            .mapToDouble(e -> loss ? e.valLoss() : e.valAcc())
                            .toArray(),
                    true,
                    color);
        }
        return chart.toSvg();
    }

    private static String gradientChart(List<LayerGradient> gradients) {
        LineChart chart = new LineChart(
                "Gradient flow per layer", "weight layer depth (input -> output)", "mean |gradient|", true);
        int last = gradients.stream().mapToInt(LayerGradient::epoch).max().orElse(0);
        for (String network : List.of("plain", "residual")) {
            for (int epoch : new LinkedHashMap<Integer, Integer>(Map.of(0, 0, last, last))
                    .keySet().stream().sorted().toList()) {
                List<LayerGradient> rows = gradients.stream()
                        .filter(g -> g.network().equals(network) && g.epoch() == epoch)
                        .toList();
                chart.add(
                        network + (epoch == 0 ? " at init" : " after epoch " + epoch),
                        rows.stream().mapToDouble(LayerGradient::depth).toArray(),
                        rows.stream().mapToDouble(LayerGradient::meanAbs).toArray(),
                        epoch != 0,
                        network.equals("plain") ? 0 : 1);
            }
        }
        return chart.toSvg();
    }
}
