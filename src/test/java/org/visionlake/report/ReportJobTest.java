package org.visionlake.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.visionlake.VisionLakeException;
import org.visionlake.experiment.residual.ResidualConfig;
import org.visionlake.experiment.residual.ResidualExperiment;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.lake.DatasetPublisher;
import org.visionlake.lake.ImageSchema;
import org.visionlake.lake.Lake;
import org.visionlake.runs.RunRecord;
import org.visionlake.testing.CifarSample;
import org.visionlake.testing.TestSpark;
import org.visionlake.train.LearningRateSchedule;

/** Builds a report from a real (small) residual run on real CIFAR-10 pixels whose class names are hostile. */
class ReportJobTest {
    private static final String SCRIPT_LABEL = "<script>alert('cat')</script>";
    private static final String AMP_LABEL = "dog & \"friends\"";

    @TempDir
    static Path lakeDir;

    @TempDir
    static Path reportDir;

    static SparkSession spark;
    static Lake lake;
    static RunRecord run;
    static ReportJob.Result result;

    @BeforeAll
    static void runAndReport() {
        spark = TestSpark.session();
        lake = Lake.open(lakeDir.toString(), spark.sparkContext().hadoopConfiguration());
        publishHostileDataset();
        run = new ResidualExperiment(spark, lake)
                .run(new ResidualConfig(
                        "hostile",
                        1,
                        2,
                        16,
                        0.05,
                        LearningRateSchedule.COSINE,
                        3,
                        0,
                        0,
                        2,
                        2,
                        1,
                        32,
                        16,
                        "report-run"));
        result = new ReportJob(spark, lake).write(List.of(), null, List.of(), "Report test", reportDir);
    }

    @Test
    void report_hasEveryFigureAsAValidImage() throws Exception {
        assertThat(result.figures()).hasSizeGreaterThanOrEqualTo(6);
        for (String figure : result.figures()) {
            Path file = reportDir.resolve(figure);
            assertThat(file).exists();
            if (figure.endsWith(".svg")) {
                assertThat(DocumentBuilderFactory.newInstance()
                                .newDocumentBuilder()
                                .parse(file.toFile())
                                .getDocumentElement()
                                .getTagName())
                        .isEqualTo("svg");
            } else {
                assertThat(ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(file))))
                        .as(figure)
                        .isNotNull();
            }
        }
        assertThat(result.figures())
                .anyMatch(f -> f.contains("gradient-flow"))
                .anyMatch(f -> f.contains("filters"))
                .anyMatch(f -> f.contains("activations"))
                .anyMatch(f -> f.contains("samples"));
    }

    @Test
    void metricsTable_matchesTheRunsMetrics() throws Exception {
        List<String> reportRows = Files.readAllLines(reportDir.resolve("tables/residual-report-run-metrics.csv"));
        List<Row> runRows = spark.read()
                .parquet(lakeDir.resolve("runs/report-run/metrics.parquet").toString())
                .orderBy("network", "epoch")
                .collectAsList();

        assertThat(reportRows).hasSize(runRows.size() + 1);
        for (int i = 0; i < runRows.size(); i++) {
            String[] cells = reportRows.get(i + 1).split(",");
            Row expected = runRows.get(i);
            assertThat(cells[0]).isEqualTo(expected.getAs("network"));
            assertThat(Integer.parseInt(cells[1])).isEqualTo(expected.<Integer>getAs("epoch"));
            assertThat(Double.parseDouble(cells[5]))
                    .isCloseTo(expected.<Double>getAs("val_accuracy"), org.assertj.core.data.Offset.offset(5e-5));
        }
    }

    @Test
    void analysis_carriesTheMeasuredNumbers() throws Exception {
        String html = Files.readString(result.index());
        double plain = ((Number) run.metrics().get("plain_val_accuracy")).doubleValue();
        double residual = ((Number) run.metrics().get("residual_val_accuracy")).doubleValue();

        assertThat(html)
                .contains("Which network won?", "What do the gradient plots say?", "What do the shortcuts" + " cost?");
        assertThat(html)
                .contains(
                        String.format(Locale.ROOT, "%.1f%%", 100 * plain),
                        String.format(Locale.ROOT, "%.1f%%", 100 * residual));
        long extra = ((Number) run.metrics().get("residual_params")).longValue()
                - ((Number) run.metrics().get("plain_params")).longValue();
        assertThat(html).contains(extra + " more parameters");
    }

    @Test
    void hostileClassNames_comeOutEscaped() throws Exception {
        String html = Files.readString(result.index());

        assertThat(html).doesNotContain(SCRIPT_LABEL).doesNotContainIgnoringCase("<script");
        assertThat(html).contains("&lt;script&gt;alert(&#39;cat&#39;)&lt;/script&gt;", "dog &amp; &quot;friends&quot;");
        try (Stream<Path> files = Files.walk(reportDir)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".svg")).toList()) {
                assertThat(Files.readString(file)).doesNotContain(SCRIPT_LABEL);
            }
        }
        assertThat(Files.readString(reportDir.resolve("summary.md"))).contains("Which network won?");
    }

    @Test
    void report_refusesARunThatIsNotComplete() {
        assertThatThrownBy(() -> new ReportJob(spark, lake)
                        .write(List.of("no-such-run"), null, List.of(), "t", reportDir.resolve("other")))
                .isInstanceOf(VisionLakeException.class)
                .hasMessageContaining("run 'no-such-run' not found");
    }

    private static void publishHostileDataset() {
        List<Row> rows = new ArrayList<>();
        String[][] classes = {{"cat", SCRIPT_LABEL}, {"dog", AMP_LABEL}};
        for (int label = 0; label < classes.length; label++) {
            List<byte[]> jpegs = CifarSample.jpegs("train", classes[label][0]);
            for (int i = 0; i < 64; i++) {
                String split = i < 48 ? ImageSchema.TRAIN : ImageSchema.VAL;
                String id = String.format("%016x", label * 1000L + i);
                rows.add(RowFactory.create(
                        id,
                        id,
                        "cifar:" + classes[label][0] + "/" + i,
                        label,
                        classes[label][1],
                        split,
                        8,
                        8,
                        3,
                        CifarSample.pixels(jpegs.get(i), 8)));
            }
        }
        new DatasetPublisher(spark, lake)
                .publish(
                        spark.createDataFrame(rows, ImageSchema.schema()),
                        new DatasetPublisher.Draft(
                                "hostile",
                                "ingested",
                                "cifar10 sample",
                                "rows",
                                new DatasetManifest.Shape(8, 8, 3),
                                Map.of(),
                                List.of(SCRIPT_LABEL, AMP_LABEL),
                                null,
                                null));
    }
}
