package org.visionlake.cli;

import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;
import org.visionlake.experiment.transfer.Pretrainer;
import org.visionlake.lake.Json;
import org.visionlake.models.ModelCard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code visionlake pretrain}: a CIFAR ResNet trained on Spark on a lake dataset, registered as a backbone. */
@Command(
        name = "pretrain",
        mixinStandardHelpOptions = true,
        description = "Train a CIFAR ResNet on a source dataset on Spark and register it in the lake's model registry.")
public final class PretrainCommand implements Runnable {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", required = true, description = "Source dataset in the lake, e.g. cifar10.")
    String dataset;

    @Option(names = "--name", description = "Model name in the registry (default: <dataset>-resnet<depth>).")
    String name;

    @Option(names = "--blocks", defaultValue = "1", description = "Blocks per stage: 1 -> ResNet-8, 3 -> ResNet-20.")
    int blocks;

    @Option(names = "--epochs", defaultValue = "1", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--batch-size",
            defaultValue = "64",
            description = "Minibatch per worker (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--lr",
            defaultValue = "0.05",
            description = "SGD Nesterov learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(
            names = "--train-limit",
            defaultValue = "0",
            description = "Class-balanced training images to use; 0 uses the whole train split.")
    int trainLimit;

    @Option(
            names = "--eval-limit",
            defaultValue = "2000",
            description = "Class-balanced images measured per epoch and at test (default: ${DEFAULT-VALUE}).")
    int evalLimit;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--workers", defaultValue = "2", description = "Parallel workers (default ${DEFAULT-VALUE}).")
    int workers;

    @Override
    public void run() {
        SparkSession spark = common.spark("pretrain");
        Pretrainer.Settings settings = new Pretrainer.Settings(
                dataset, name, blocks, epochs, batchSize, learningRate, trainLimit, evalLimit, seed, workers);
        ModelCard card = new Pretrainer(spark, common.lake(spark)).run(settings);
        PrintWriter out = spec.commandLine().getOut();
        if (common.json()) {
            out.println(Json.write(card));
            return;
        }
        out.printf(
                "registered model %s (%s, %d parameters, fingerprint %s)%n",
                card.name(), card.architecture(), card.parameters(), card.fingerprint());
        out.printf(
                "source %s@%s  val accuracy %.4f  test accuracy %.4f  run %s%n",
                card.sourceDataset(),
                card.sourceFingerprint(),
                card.valAccuracy(),
                card.testAccuracy(),
                card.lineage().get("run_id"));
    }
}
