package org.visionlake.experiment.residual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.visionlake.VisionLakeException;
import org.visionlake.cli.VisionLake;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.lake.DatasetPublisher;
import org.visionlake.lake.ImageSchema;
import org.visionlake.lake.Json;
import org.visionlake.lake.Lake;
import org.visionlake.runs.RunRecord;
import org.visionlake.runs.RunState;
import org.visionlake.runs.RunWriter;
import org.visionlake.testing.CifarSample;
import org.visionlake.testing.TestSpark;
import org.visionlake.train.LearningRateSchedule;
import org.visionlake.train.TrainingEnvironment;

class ResidualExperimentTest {
    @TempDir
    static Path lakeDir;

    static SparkSession spark;
    static Lake lake;

    @BeforeAll
    static void publishDatasets() {
        spark = TestSpark.session();
        lake = Lake.open(lakeDir.toString(), spark.sparkContext().hadoopConfiguration());
        CifarSample.publish(spark, lake, "tiny", List.of("airplane", "frog"), 48, 16, 8);
        publishRows("corrupt", new DatasetManifest.Shape(8, 8, 3), 8, 8, 8 * 8 * 3 - 5);
        publishRows("liar", new DatasetManifest.Shape(8, 8, 3), 8, 16, 8 * 16 * 3);
        publishRows("mixed", null, 8, 8, 8 * 8 * 3);
    }

    @Test
    void completeRun_hasEveryFileAndMetricsForEveryEpoch() throws Exception {
        RunRecord record = new ResidualExperiment(spark, lake).run(config("tiny", 1, 16, 2, "complete-run"));

        Path run = lakeDir.resolve("runs/complete-run");
        assertThat(record.state()).isEqualTo(RunState.COMPLETE);
        assertThat(record.files())
                .contains(
                        "_run.json",
                        "metrics.csv",
                        "gradient_flow.csv",
                        "models/plain.zip",
                        "models/residual.zip",
                        "summaries/plain.txt",
                        "summaries/plain.json",
                        "summaries/residual.txt",
                        "summaries/residual.json")
                .anyMatch(f -> f.startsWith("metrics.parquet/part-"))
                .anyMatch(f -> f.startsWith("gradient_flow.parquet/part-"));
        for (String file : record.files()) {
            assertThat(run.resolve(file)).as(file).isRegularFile();
        }
        RunRecord stored = RunWriter.read(lake, "complete-run");
        assertThat(stored.state()).isEqualTo(RunState.COMPLETE);
        assertThat(stored.configuration()).containsEntry("blocks", 1).containsEntry("input_shape", "8x8x3");
        assertThat(stored.metrics()).containsKeys("plain_val_accuracy", "residual_val_accuracy");
        assertThat(stored.timings()).containsKeys("train_plain", "train_residual", "total");

        List<Row> metrics =
                spark.read().parquet(run.resolve("metrics.parquet").toString()).collectAsList();
        assertThat(metrics).hasSize(2 * 2);
        assertThat(metrics).allSatisfy(row -> {
            assertThat(row.<Double>getAs("val_accuracy")).isBetween(0.0, 1.0);
            assertThat(row.<Double>getAs("images_per_second")).isPositive();
            assertThat(row.<Long>getAs("train_images")).isEqualTo(96L);
        });
        assertThat(Files.readAllLines(run.resolve("metrics.csv"))).hasSize(1 + 4);

        // 10 weight layers in the residual net (two projections), 8 in the plain one; init plus 2 epochs each.
        long gradientRows = spark.read()
                .parquet(run.resolve("gradient_flow.parquet").toString())
                .count();
        assertThat(gradientRows).isEqualTo(3 * 10 + 3 * 8);
        assertThat(Files.readAllLines(run.resolve("gradient_flow.csv"))).hasSize(1 + 54);

        ComputationGraph residual = ModelSerializer.restoreComputationGraph(
                run.resolve("models/residual.zip").toFile());
        assertThat(residual.getVertex("s2b1_proj")).isNotNull();
        List<?> summary = Json.read(Files.readString(run.resolve("summaries/plain.json")), List.class);
        assertThat(summary.toString()).contains("stem_conv", "ConvolutionLayer", "output");
        assertThat(Files.readString(run.resolve("summaries/residual.txt"))).contains("s1b1_add");
        assertThat(Files.list(lakeDir.resolve("_staging"))).isEmpty();
    }

    @Test
    void failingRun_isRecordedAsFailedWithTheReason() {
        ResidualExperiment experiment = new ResidualExperiment(spark, lake);

        assertThatThrownBy(() -> experiment.run(config("corrupt", 1, 8, 1, "failing-run")))
                .hasStackTraceContaining("does not match the dataset");

        RunRecord record = RunWriter.read(lake, "failing-run");
        assertThat(record.state()).isEqualTo(RunState.FAILED);
        assertThat(record.error()).contains("expected 192 pixel bytes", "found 187 bytes");
        assertThat(record.files()).isNull();
        assertThat(lakeDir.resolve("runs/failing-run/metrics.csv")).doesNotExist();
        assertThat(lake.listComplete("runs", RunWriter.RECORD)).contains("failing-run");
    }

    @Test
    void badConfigurations_areRejectedBeforeAnySparkJob() {
        assertRejectedWithoutJobs(config("no-such-dataset", 1, 8, 1, null), "dataset 'no-such-dataset' not found");
        assertRejectedWithoutJobs(config("tiny", 1, 97, 1, null), "--batch-size 97 is larger than the training");
        assertRejectedWithoutJobs(config("mixed", 1, 8, 1, null), "images of different shapes");
        assertThatThrownBy(() -> config("tiny", 0, 8, 1, null)).hasMessageContaining("--blocks must be at least 1");
        assertThatThrownBy(() -> new ResidualConfig(
                        "tiny", 1, 1, 8, 0.05, LearningRateSchedule.STEP, 1, 0, 0, 0, 1, 0, 32, 16, null))
                .isInstanceOf(VisionLakeException.class)
                .hasMessageContaining("--workers must be at least 1, found 0");
        assertThat(lake.listComplete("runs", RunWriter.RECORD)).doesNotContain("bad");
    }

    @Test
    void rowsThatContradictTheManifestShape_areRejectedBeforeTraining() {
        assertThatThrownBy(() -> new ResidualExperiment(spark, lake).run(config("liar", 1, 8, 1, "liar-run")))
                .isInstanceOf(VisionLakeException.class)
                .hasMessageContaining("says its images are 8x8x3")
                .hasMessageContaining("widths 16-16");
        assertThat(lakeDir.resolve("runs/liar-run")).doesNotExist();
    }

    @Test
    void sparkWithoutNd4jKryo_isRefusedWithTheSettingsToUse() {
        SparkConf javaSerializer =
                new SparkConf(false).set("spark.serializer", "org.apache.spark.serializer.JavaSerializer");

        assertThatThrownBy(() -> TrainingEnvironment.requireKryo(javaSerializer))
                .isInstanceOf(VisionLakeException.class)
                .hasMessageContaining("spark.kryo.registrator containing org.nd4j.kryo.Nd4jRegistrator")
                .hasMessageContaining("found spark.serializer=org.apache.spark.serializer.JavaSerializer");
        TrainingEnvironment.requireKryo(spark.sparkContext().getConf());
    }

    @Test
    void cli_reportsUnknownDatasetWithExitStatus2() {
        StringWriter err = new StringWriter();
        int status = VisionLake.commandLine()
                .setErr(new PrintWriter(err))
                .execute("experiment", "residual", "--lake", lakeDir.toString(), "--dataset", "nope");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("dataset 'nope' not found", "tiny");
    }

    private static void assertRejectedWithoutJobs(ResidualConfig config, String message) {
        String group = "bad-config-" + config.dataset() + "-" + config.batchSize();
        spark.sparkContext().setJobGroup(group, "bad configuration", false);
        try {
            assertThatThrownBy(() -> new ResidualExperiment(spark, lake).run(config))
                    .isInstanceOf(VisionLakeException.class)
                    .hasMessageContaining(message);
        } finally {
            spark.sparkContext().clearJobGroup();
        }
        assertThat(spark.sparkContext().statusTracker().getJobIdsForGroup(group))
                .as(message)
                .isEmpty();
    }

    static ResidualConfig config(String dataset, int blocks, int batch, int epochs, String runId) {
        return new ResidualConfig(
                dataset, blocks, epochs, batch, 0.05, LearningRateSchedule.COSINE, 3, 0, 0, 2, 2, 1, 32, 16, runId);
    }

    /** A dataset whose rows say {@code height}x{@code width} and carry {@code bytes} pixel bytes each. */
    private static void publishRows(String name, DatasetManifest.Shape shape, int height, int width, int bytes) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String split = i < 16 ? ImageSchema.TRAIN : ImageSchema.VAL;
            byte[] pixels = new byte[bytes];
            pixels[i % bytes] = (byte) (i * 7);
            String id = String.format("%016x", i + name.hashCode() * 1000L);
            rows.add(RowFactory.create(
                    id,
                    id,
                    "generated:" + name + "/" + i,
                    i % 2,
                    i % 2 == 0 ? "a" : "b",
                    split,
                    height,
                    width,
                    3,
                    pixels));
        }
        new DatasetPublisher(spark, lake)
                .publish(
                        spark.createDataFrame(rows, ImageSchema.schema()),
                        new DatasetPublisher.Draft(
                                name, "ingested", "generated", "rows", shape, Map.of(), List.of("a", "b"), null, null));
    }
}
