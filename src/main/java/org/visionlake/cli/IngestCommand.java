package org.visionlake.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.visionlake.ingest.IngestJob;
import org.visionlake.ingest.IngestResult;
import org.visionlake.ingest.IngestSettings;
import org.visionlake.ingest.Preprocessing;
import org.visionlake.ingest.ResizePolicy;
import org.visionlake.ingest.SourceFormat;
import org.visionlake.lake.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code visionlake ingest SOURCE --name NAME}: a folder of images or an image container file set to the lake. */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = "Decode, validate and resize a source (local path, file://, hdfs://, s3a://...) into a dataset"
                + " of the lake; bad files go to the dataset's quarantine table.")
public final class IngestCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "SOURCE", description = "Folder to ingest: a local path or any Hadoop file-system URI.")
    String source;

    @Option(names = "--name", required = true, description = "Dataset name in the lake.")
    String name;

    @Option(
            names = "--format",
            defaultValue = "imagefolder",
            description = "imagefolder | filename | idx | cifar10-binary (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(
            names = "--label-pattern",
            defaultValue = IngestSettings.DEFAULT_LABEL_PATTERN,
            description = "filename format: regex whose first group is the class (default: ${DEFAULT-VALUE}).")
    String labelPattern;

    @Option(
            names = "--label-names",
            split = ",",
            description = "idx / cifar10-binary: names of labels 0, 1, ... (default: labels.txt or batches.meta.txt"
                    + " beside the files, else the numbers).")
    List<String> labelNames;

    @Option(
            names = "--image-size",
            paramLabel = "HxW|N",
            description = "Target size (default: native size of containers, else the first image's size).")
    String imageSize;

    @Option(names = "--channels", description = "3 (RGB) or 1 (grey) (default: 1 for idx, else 3).")
    Integer channels;

    @Option(
            names = "--resize",
            defaultValue = "crop",
            description = "Aspect ratio policy: squash | crop | pad (default: ${DEFAULT-VALUE}).")
    String resize;

    @Option(
            names = "--background",
            defaultValue = "white",
            description = "Colour under transparent pixels and pad borders: white, black or #rrggbb"
                    + " (default: ${DEFAULT-VALUE}).")
    String background;

    @Option(
            names = "--val-fraction",
            defaultValue = "0.1",
            description = "Share of train carved out as val by content hash when the source has no val split"
                    + " (default: ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(
            names = "--test-fraction",
            defaultValue = "0",
            description = "Share of train carved out as test by content hash, for sources without a test split"
                    + " such as a flat folder (default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(
            names = "--max-pixels",
            defaultValue = "50000000",
            description = "Refuse images whose header declares more pixels (default: ${DEFAULT-VALUE}).")
    long maxPixels;

    @Option(
            names = "--max-file-bytes",
            defaultValue = "268435456",
            description = "Refuse image files larger than this (default: ${DEFAULT-VALUE}).")
    long maxFileBytes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        IngestSettings settings = settings();
        SparkSession spark = common.spark("ingest " + settings.name());
        IngestResult result = new IngestJob(spark, common.lake(spark)).run(settings);
        print(spec.commandLine().getOut(), result, common.json());
        return 0;
    }

    IngestSettings settings() {
        IngestSettings.Builder builder = IngestSettings.builder(source, name)
                .format(SourceFormat.parse(format))
                .labelPattern(labelPattern)
                .labelNames(labelNames)
                .resize(ResizePolicy.parse(resize))
                .background(Preprocessing.parseColor(background))
                .valFraction(valFraction)
                .testFraction(testFraction)
                .maxPixels(maxPixels)
                .maxFileBytes(maxFileBytes);
        if (imageSize != null) {
            int[] hw = Preprocessing.parseSize(imageSize);
            builder.size(hw[0], hw[1]);
        }
        if (channels != null) {
            builder.channels(channels);
        }
        return builder.build();
    }

    /** The summary every ingesting command prints: counts first, then where the dataset is. */
    static void print(PrintWriter out, IngestResult r, boolean json) {
        if (json) {
            out.println(Json.write(r));
            return;
        }
        out.printf("dataset      %s (%s, fingerprint %s)%n", r.dataset(), r.shape(), r.fingerprint());
        out.printf("read         %d%n", r.read());
        out.printf("written      %d%n", r.written());
        out.printf("duplicates   %d%n", r.duplicates());
        out.printf("quarantined  %s%n", r.quarantined().isEmpty() ? "none" : r.quarantined());
        out.printf("skipped      %s%n", r.skipped().isEmpty() ? "none" : r.skipped());
        r.counts()
                .forEach((split, perLabel) -> out.printf(
                        "split %-6s %d images over %d classes%n",
                        split,
                        perLabel.values().stream().mapToLong(Long::longValue).sum(),
                        perLabel.size()));
        out.printf("time         %.1f s (%.0f images/s)%n", r.seconds(), r.imagesPerSecond());
        out.printf("path         %s%n", r.datasetPath());
        out.printf("quarantine   %s%n", r.quarantinePath());
        out.flush();
    }
}
