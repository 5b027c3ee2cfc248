package org.visionlake.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visionlake.experiment.residual.ResidualConfig;
import org.visionlake.experiment.residual.ResidualExperiment;
import org.visionlake.experiment.transfer.Pretrainer;
import org.visionlake.experiment.transfer.TransferExperiment;
import org.visionlake.experiment.transfer.TransferSettings;
import org.visionlake.ingest.IngestJob;
import org.visionlake.ingest.IngestResult;
import org.visionlake.ingest.IngestSettings;
import org.visionlake.ingest.SourceFormat;
import org.visionlake.lake.ClassSubset;
import org.visionlake.lake.Lake;
import org.visionlake.models.ModelCard;
import org.visionlake.report.ReportJob;
import org.visionlake.runs.RunRecord;
import org.visionlake.train.LearningRateSchedule;

/**
 * The one-command tour of VisionLake on the sample that ships in the jar (2,000 real Fashion-MNIST images): ingest
 * it into the lake, run a small plain-vs-residual experiment and a small transfer experiment on Spark, and write
 * the report. Every step is the real job the full runs use, only on less data and fewer epochs.
 */
public final class DemoPipeline {
    /** The sample's files under the class path: two IDX pairs (gzip) and the label names. */
    public static final String SAMPLE = "/samples/fashion-mnist-sample/";

    public static final List<String> SAMPLE_FILES = List.of(
            "train-images-idx3-ubyte.gz",
            "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz",
            "labels.txt");

    /** Two look-alike classes make a target task that is neither trivial nor hopeless on a few hundred images. */
    static final List<String> TARGET_CLASSES = List.of("T-shirt/top", "Shirt");

    private static final Logger LOG = LoggerFactory.getLogger(DemoPipeline.class);

    private final SparkSession spark;
    private final Lake lake;
    private final PrintWriter out;

    public DemoPipeline(SparkSession spark, Lake lake, PrintWriter out) {
        this.spark = spark;
        this.lake = lake;
        this.out = out;
    }

    /** What the demo produced, for the CLI's closing lines and {@code --json}. */
    public record Result(String dataset, List<String> runs, Path report, double seconds) {}

    public Result run(String dataset, Path reportFolder, boolean quick) {
        long start = System.nanoTime();
        List<String> runs = new ArrayList<>();

        step(1, "ingest the embedded sample as dataset '" + dataset + "'");
        IngestResult ingest = ingest(dataset);
        out.printf(
                "     %d images written (%s), %d quarantined, in %.1f s%n",
                ingest.written(),
                ingest.shape(),
                ingest.quarantined().values().stream()
                        .mapToLong(Long::longValue)
                        .sum(),
                ingest.seconds());

        step(2, "residual experiment: plain vs residual network on Spark");
        RunRecord residual = new ResidualExperiment(spark, lake).run(residualConfig(dataset, quick));
        runs.add(residual.runId());
        out.printf(
                "     run %s: plain %.1f%%, residual %.1f%% validation accuracy%n",
                residual.runId(),
                100 * number(residual, "plain_val_accuracy"),
                100 * number(residual, "residual_val_accuracy"));

        step(
                3,
                "transfer experiment: backbone pretrained on 8 classes, then '" + String.join("' vs '", TARGET_CLASSES)
                        + "'");
        TransferExperiment.Outcome transfer =
                transfer(dataset, ingest.manifest().labels(), quick);
        runs.add(transfer.runId());
        out.printf(
                "     run %s: %d approach x size results%n",
                transfer.runId(), transfer.results().size());

        step(4, "report");
        ReportJob.Result report =
                new ReportJob(spark, lake).write(runs, null, List.of(dataset), "VisionLake demo report", reportFolder);
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.info("demo done: runs={} report={} seconds={}", runs, report.index(), Math.round(seconds));
        return new Result(dataset, runs, report.index(), seconds);
    }

    /**
     * The notebook's transfer set-up in miniature, without shared images: a source dataset of 8 classes pretrains a
     * backbone (the "big data"), and a 2-class target carved from the remaining classes is the small task.
     */
    private TransferExperiment.Outcome transfer(String dataset, List<String> labels, boolean quick) {
        List<String> sourceClasses =
                labels.stream().filter(l -> !TARGET_CLASSES.contains(l)).toList();
        ClassSubset subsets = new ClassSubset(spark, lake);
        subsets.publish(dataset, dataset + "-source", sourceClasses);
        subsets.publish(dataset, dataset + "-target", TARGET_CLASSES);

        ModelCard backbone = new Pretrainer(spark, lake)
                .run(new Pretrainer.Settings(
                        dataset + "-source",
                        dataset + "-backbone",
                        1,
                        quick ? 1 : 3,
                        32,
                        0.05,
                        quick ? 256 : 0,
                        0,
                        42,
                        2));
        out.printf(
                "     backbone %s: %.1f%% validation accuracy on the 8 source classes%n",
                backbone.name(), 100 * (backbone.valAccuracy() == null ? Double.NaN : backbone.valAccuracy()));
        return new TransferExperiment(spark, lake)
                .run(new TransferSettings(
                        backbone.name(),
                        dataset + "-target",
                        quick ? List.of(16, 48) : List.of(40, 120, 280),
                        quick ? 1 : 4,
                        quick ? 1 : 2,
                        16,
                        0.01,
                        0.1,
                        64,
                        0,
                        42,
                        28,
                        2));
    }

    private IngestResult ingest(String dataset) {
        Path folder = extractSample();
        try {
            IngestSettings settings = IngestSettings.builder(folder.toUri().toString(), dataset)
                    .format(SourceFormat.IDX)
                    .build();
            return new IngestJob(spark, lake).run(settings);
        } finally {
            deleteTree(folder);
        }
    }

    /**
     * One block per stage (ResNet-8 style), 3 epochs: minutes on 2 cores. {@code quick} (tests) trims the data.
     */
    static ResidualConfig residualConfig(String dataset, boolean quick) {
        return new ResidualConfig(
                dataset,
                1,
                quick ? 1 : 3,
                32,
                0.05,
                LearningRateSchedule.COSINE,
                42,
                quick ? 256 : 0,
                quick ? 64 : 0,
                2,
                4,
                2,
                quick ? 64 : 256,
                32,
                null);
    }

    private void step(int number, String what) {
        out.printf("[%d] %s%n", number, what);
        out.flush();
    }

    private static double number(RunRecord run, String key) {
        Object value = run.metrics().get(key);
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** Copies the sample out of the jar into a temporary folder the ingest reads like any other source. */
    static Path extractSample() {
        try {
            Path folder = Files.createTempDirectory("visionlake-demo-");
            for (String file : SAMPLE_FILES) {
                try (InputStream in = DemoPipeline.class.getResourceAsStream(SAMPLE + file)) {
                    if (in == null) {
                        throw new IllegalStateException("the embedded sample " + SAMPLE + file
                                + " is missing from the class path; rebuild with 'mvn package'");
                    }
                    Files.copy(in, folder.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the embedded sample", e);
        }
    }

    private static void deleteTree(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete the demo's temporary folder {}: {}", folder, e.getMessage());
        }
    }
}
