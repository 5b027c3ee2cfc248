package org.visionlake.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.visionlake.experiment.transfer.TransferExperiment;
import org.visionlake.experiment.transfer.TransferSettings;
import org.visionlake.lake.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code visionlake experiment transfer}: scratch vs frozen backbone vs fine-tuning at several target sizes. */
@Command(
        name = "transfer",
        mixinStandardHelpOptions = true,
        description = "Transfer a pretrained backbone to a target dataset: scratch, frozen features, fine-tuning.")
public final class TransferCommand implements Runnable {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--source-model",
            paramLabel = "NAME|zoo:resnet50|zoo:vgg16|file:PATH",
            description = "Backbone: a registry model, a zoo model from DL4J's local cache, or a model zip"
                    + " (default: the latest model pretrained in the lake).")
    String sourceModel;

    @Option(
            names = "--source-input-size",
            defaultValue = "32",
            description = "Input height and width of a file: model (its zip does not record it).")
    int sourceInputSize;

    @Option(names = "--target-dataset", required = true, description = "Target dataset in the lake.")
    String targetDataset;

    @Option(
            names = "--train-sizes",
            split = ",",
            defaultValue = "100,300,1000,3000",
            description = "Target training-set sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> trainSizes;

    @Option(names = "--stage1-epochs", defaultValue = "6")
    int stage1Epochs;

    @Option(names = "--stage2-epochs", defaultValue = "3")
    int stage2Epochs;

    @Option(names = "--batch-size", defaultValue = "16")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.01", description = "Stage-1 learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(
            names = "--fine-tune-factor",
            defaultValue = "0.1",
            description = "Fine-tuning learning rate as a share of --lr (default: ${DEFAULT-VALUE}).")
    double fineTuneFactor;

    @Option(names = "--head-hidden", defaultValue = "64", description = "Width of the head's dense layer.")
    int hidden;

    @Option(
            names = "--eval-limit",
            defaultValue = "1000",
            description = "Class-balanced validation and test images; 0 uses all (default: ${DEFAULT-VALUE}).")
    int evalLimit;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--workers", defaultValue = "2", description = "Parallel workers (default ${DEFAULT-VALUE}).")
    int workers;

    @Override
    public void run() {
        SparkSession spark = common.spark("experiment transfer");
        TransferSettings settings = new TransferSettings(
                sourceModel,
                targetDataset,
                trainSizes,
                stage1Epochs,
                stage2Epochs,
                batchSize,
                learningRate,
                fineTuneFactor,
                hidden,
                evalLimit,
                seed,
                sourceInputSize,
                workers);
        TransferExperiment.Outcome outcome = new TransferExperiment(spark, common.lake(spark)).run(settings);
        PrintWriter out = spec.commandLine().getOut();
        if (common.json()) {
            out.println(Json.write(Map.of(
                    "run_id",
                    outcome.runId(),
                    "feature_cache",
                    outcome.features().manifest(),
                    "features_computed",
                    outcome.features().computed(),
                    "results",
                    outcome.results())));
            return;
        }
        out.printf(
                "run %s (features %s, %s)%n",
                outcome.runId(),
                outcome.features().manifest().key(),
                outcome.features().computed() ? "computed" : "reused from the cache");
        out.printf(
                "%-9s %6s %10s %10s %9s %8s %8s%n",
                "APPROACH", "SIZE", "TRAINABLE", "TOTAL", "TEST_ACC", "WALL_S", "IMG/S");
        for (Map<String, Object> r : outcome.results()) {
            out.printf(
                    "%-9s %6s %10s %10s %9.4f %8.1f %8.1f%n",
                    r.get("approach"),
                    r.get("train_size"),
                    r.get("trainable_params"),
                    r.get("total_params"),
                    (double) r.get("test_accuracy"),
                    (double) r.get("wall_seconds"),
                    (double) r.get("images_per_second"));
        }
    }
}
