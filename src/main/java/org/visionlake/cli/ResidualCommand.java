package org.visionlake.cli;

import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;
import org.visionlake.experiment.residual.ResidualConfig;
import org.visionlake.experiment.residual.ResidualExperiment;
import org.visionlake.lake.Json;
import org.visionlake.runs.RunRecord;
import org.visionlake.train.LearningRateSchedule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code visionlake experiment residual}: plain vs residual networks, trained on Spark by parameter averaging. */
@Command(
        name = "residual",
        mixinStandardHelpOptions = true,
        description = "Train a plain and a residual CIFAR-style network of the same depth on a lake dataset and"
                + " record training curves and gradient flow as a run.")
public final class ResidualCommand implements Runnable {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", required = true, paramLabel = "NAME", description = "Lake dataset to train on.")
    String dataset;

    @Option(names = "--blocks", defaultValue = "6", description = "Blocks per stage (6n+2 layers; default 6).")
    int blocks;

    @Option(names = "--epochs", defaultValue = "10", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "32", description = "Minibatch per worker (default 32).")
    int batchSize;

    @Option(names = "--learning-rate", defaultValue = "0.05", description = "Base learning rate (default 0.05).")
    double learningRate;

    @Option(
            names = "--schedule",
            defaultValue = "step",
            description = "constant | step (x0.1 at 50%% and 75%% of the epochs) | cosine (default step).")
    String schedule;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of weights and data order (default 42).")
    long seed;

    @Option(names = "--train-limit", defaultValue = "0", description = "Use only N training images (0: all).")
    long trainLimit;

    @Option(names = "--val-limit", defaultValue = "0", description = "Use only N validation images (0: all).")
    long valLimit;

    @Option(names = "--workers", defaultValue = "2", description = "Parallel workers (default 2).")
    int workers;

    @Option(
            names = "--averaging-frequency",
            defaultValue = "5",
            description = "Minibatches per worker between parameter averagings (default 5).")
    int averagingFrequency;

    @Option(names = "--prefetch", defaultValue = "2", description = "Minibatches prefetched per worker (default 2).")
    int prefetch;

    @Option(
            names = "--train-eval-images",
            defaultValue = "512",
            description = "Training images for the end-of-epoch training accuracy (default 512).")
    int trainEvalImages;

    @Option(names = "--run-id", paramLabel = "ID", description = "Run id (default: residual-<time>-<random>).")
    String runId;

    @Option(
            names = "--resume",
            description = "Continue the unfinished run --run-id (its process died, or it failed) from its last"
                    + " checkpoint (saved after every epoch); starts it if it never started.")
    boolean resume;

    @Override
    public void run() {
        ResidualConfig config = new ResidualConfig(
                dataset,
                blocks,
                epochs,
                batchSize,
                learningRate,
                LearningRateSchedule.parse(schedule),
                seed,
                trainLimit,
                valLimit,
                workers,
                averagingFrequency,
                prefetch,
                trainEvalImages,
                64,
                runId);
        SparkSession spark = common.spark("experiment residual");
        ResidualExperiment experiment = new ResidualExperiment(spark, common.lake(spark));
        RunRecord record = resume ? experiment.resume(config) : experiment.run(config);

        PrintWriter out = spec.commandLine().getOut();
        if (common.json()) {
            out.println(Json.write(record));
            return;
        }
        out.printf("run %s %s%n", record.runId(), record.state().json());
        for (String network : ResidualExperiment.NETWORKS) {
            out.printf(
                    "%-9s val_accuracy=%.4f val_loss=%.4f img/s=%.1f%n",
                    network,
                    (Double) record.metrics().get(network + "_val_accuracy"),
                    (Double) record.metrics().get(network + "_val_loss"),
                    (Double) record.metrics().get(network + "_images_per_second"));
        }
    }
}
