package org.visionlake.cli;

import java.io.PrintWriter;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.visionlake.augment.AugmentJob;
import org.visionlake.augment.AugmentPipeline;
import org.visionlake.augment.AugmentSettings;
import org.visionlake.augment.AugmentSummary;
import org.visionlake.augment.ColorJitter;
import org.visionlake.augment.HorizontalFlip;
import org.visionlake.augment.RandomCrop;
import org.visionlake.augment.RandomRotation;
import org.visionlake.lake.ImageSchema;
import org.visionlake.lake.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code visionlake augment}: a reproducible, randomly augmented copy of one split as a new dataset. */
@Command(
        name = "augment",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Writes K randomly augmented copies of every image of one split of a dataset as a new dataset of kind"
                    + " 'augmented'; the other splits are carried over unchanged.",
            "Every draw depends only on --seed, the image id and the copy index: the same seed gives the same rows"
                    + " on any cluster and partitioning."
        })
public final class AugmentCommand implements Runnable {
    @Mixin
    CommonOptions common;

    @Option(names = "--dataset", required = true, paramLabel = "NAME", description = "Source dataset.")
    String dataset;

    @Option(
            names = "--split",
            defaultValue = ImageSchema.TRAIN,
            paramLabel = "SPLIT",
            description = "Split to augment (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Dataset to write.")
    String name;

    @Option(
            names = "--copies",
            defaultValue = "1",
            paramLabel = "K",
            description = "Augmented copies per image (default: ${DEFAULT-VALUE}).")
    int copies;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--include-original", description = "Also keep every source image unchanged, as copy 0.")
    boolean includeOriginal;

    @Option(
            names = "--partitions",
            defaultValue = "0",
            paramLabel = "N",
            description = "Spread the split over N tasks first; 0 keeps the read's partitioning. The rows written are"
                    + " the same for every N.")
    int partitions;

    @Option(
            names = "--crop-padding",
            defaultValue = "4",
            paramLabel = "P",
            description = "Zero padding on each side before the random crop back to the original size; 0 turns"
                    + " cropping off (default: ${DEFAULT-VALUE}).")
    int cropPadding;

    @Option(
            names = "--crop-probability",
            defaultValue = "1.0",
            paramLabel = "P",
            description = "Probability of the crop (default: ${DEFAULT-VALUE}).")
    double cropProbability;

    @Option(
            names = "--flip-probability",
            defaultValue = "0.5",
            paramLabel = "P",
            description = "Probability of a horizontal flip (default: ${DEFAULT-VALUE}).")
    double flipProbability;

    @Option(
            names = "--rotation-degrees",
            defaultValue = "0",
            paramLabel = "D",
            description = "Rotate by an angle drawn from [-D, D] degrees, bilinear; 0 turns rotation off"
                    + " (default: ${DEFAULT-VALUE}).")
    double rotationDegrees;

    @Option(
            names = "--rotation-probability",
            defaultValue = "0.5",
            paramLabel = "P",
            description = "Probability of the rotation (default: ${DEFAULT-VALUE}).")
    double rotationProbability;

    @Option(
            names = "--rotation-fill",
            defaultValue = "0",
            paramLabel = "V",
            description = "Value 0..255 of pixels rotated in from outside the image (default: ${DEFAULT-VALUE}).")
    int rotationFill;

    @Option(
            names = "--brightness",
            defaultValue = "0",
            paramLabel = "B",
            description = "Scale brightness by a factor drawn from [1-B, 1+B], B in [0, 1]; 0 turns it off"
                    + " (default: ${DEFAULT-VALUE}).")
    double brightness;

    @Option(
            names = "--contrast",
            defaultValue = "0",
            paramLabel = "C",
            description = "Scale contrast by a factor drawn from [1-C, 1+C], C in [0, 1]; 0 turns it off"
                    + " (default: ${DEFAULT-VALUE}).")
    double contrast;

    @Option(
            names = "--jitter-probability",
            defaultValue = "0.5",
            paramLabel = "P",
            description = "Probability of the brightness/contrast jitter (default: ${DEFAULT-VALUE}).")
    double jitterProbability;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        // Settings and manifests are checked before Spark starts, so a typo fails in milliseconds.
        AugmentSettings settings = settings();
        AugmentJob.Plan plan = AugmentJob.plan(common.lakeWithoutSpark(), settings);

        SparkSession spark = common.spark("augment");
        AugmentSummary summary = AugmentJob.run(spark, common.lake(spark), plan);
        print(summary);
    }

    AugmentSettings settings() {
        AugmentPipeline pipeline = new AugmentPipeline(List.of(
                new RandomCrop(cropPadding, cropProbability),
                new HorizontalFlip(flipProbability),
                new RandomRotation(rotationDegrees, rotationProbability, rotationFill),
                new ColorJitter(brightness, contrast, jitterProbability)));
        return new AugmentSettings(dataset, split, name, copies, seed, includeOriginal, partitions, pipeline);
    }

    private void print(AugmentSummary summary) {
        PrintWriter out = spec.commandLine().getOut();
        if (common.json()) {
            out.println(Json.write(summary));
            return;
        }
        out.printf(
                "augmented %s/%s into dataset %s (seed %d, %d copies)%n",
                summary.source(), summary.split(), summary.dataset(), summary.seed(), summary.copies());
        out.printf("%-10s %10s %10s  %s%n", "SPLIT", "IMAGES IN", "IMAGES OUT", "");
        for (String split : summary.imagesOut().keySet()) {
            out.printf(
                    "%-10s %10d %10d  %s%n",
                    split,
                    summary.imagesIn().getOrDefault(split, 0L),
                    summary.imagesOut().get(split),
                    summary.carriedSplits().contains(split) ? "carried over unchanged" : "augmented");
        }
        out.printf(
                "took %.1f s (%.1f images/s); fingerprint %s%n",
                summary.seconds(), summary.imagesPerSecond(), summary.fingerprint());
    }
}
