package org.visionlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.lake.Json;
import org.visionlake.lake.Lake;
import org.visionlake.testing.TestDatasets;
import org.visionlake.testing.TestSpark;

/** {@code visionlake augment} and {@code visionlake datasets list|show} end to end on one small real lake. */
class CliCommandsTest {
    @TempDir
    static Path lakeDir;

    private static JsonNode augmentSummary;

    /** What one command printed and returned. */
    record Result(int status, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var commandLine = VisionLake.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.add(1, "--lake=" + lakeDir);
        if (args[0].equals("datasets")) {
            all.remove(1);
            all.add(2, "--lake=" + lakeDir);
        }
        int status = commandLine.execute(all.toArray(String[]::new));
        return new Result(status, out.toString(), err.toString());
    }

    @BeforeAll
    static void publishAndAugment() throws Exception {
        SparkSession spark = TestSpark.session();
        Lake lake = Lake.open(lakeDir.toString(), spark.sparkContext().hadoopConfiguration());
        var ingest = new DatasetManifest.IngestCounts(
                15, 12, 1, Map.of("truncated", 1L, "not-an-image", 1L), Map.of("hidden-file", 3L));
        TestDatasets.publish(
                spark, lake, "cifar-cli", TestDatasets.cifarEntries(2, 2, false), TestDatasets.CLASSES, ingest);

        Result result = run(
                "augment",
                "--dataset",
                "cifar-cli",
                "--name",
                "cifar-cli-aug",
                "--copies",
                "2",
                "--seed",
                "3",
                "--rotation-degrees",
                "8",
                "--brightness",
                "0.2",
                "--json");
        assertThat(result.status()).as(result.err()).isZero();
        augmentSummary = Json.mapper().readTree(result.out());
    }

    @Test
    void augment_printsAJsonSummaryWithImagesInAndOutPerSplit() {
        assertThat(augmentSummary.get("dataset").asText()).isEqualTo("cifar-cli-aug");
        assertThat(augmentSummary.at("/imagesIn/train").asLong()).isEqualTo(6);
        assertThat(augmentSummary.at("/imagesOut/train").asLong()).isEqualTo(12);
        assertThat(augmentSummary.at("/imagesOut/val").asLong()).isEqualTo(3);
        assertThat(augmentSummary.at("/imagesOut/test").asLong()).isEqualTo(3);
        assertThat(augmentSummary.get("fingerprint").asText()).hasSize(16);
    }

    @Test
    void augment_refusesBadConfigurationBeforeAnySparkWork() throws Exception {
        String[][] cases = {
            {"--dataset", "missing", "--name", "x"},
            {"--dataset", "cifar-cli", "--split", "holdout", "--name", "x"},
            {"--dataset", "cifar-cli", "--name", "x", "--copies", "0"},
            {"--dataset", "cifar-cli", "--name", "x", "--flip-probability", "1.5"},
            {"--dataset", "cifar-cli", "--name", "../x"},
            {"--dataset", "cifar-cli", "--name", "x", "--rotation-probability", "-0.5", "--rotation-degrees", "5"},
        };
        String[] expected = {
            "dataset 'missing' not found",
            "no images in split 'holdout'",
            "--copies must be between 1 and 1000, found 0",
            "flip probability must be in [0, 1], found 1.5",
            "invalid dataset name '../x'",
            "rotate probability must be in [0, 1], found -0.5",
        };
        for (int i = 0; i < cases.length; i++) {
            List<String> args = new ArrayList<>(List.of("augment"));
            args.addAll(List.of(cases[i]));

            Result result = run(args.toArray(String[]::new));

            assertThat(result.status()).as("exit status of %s", args).isEqualTo(VisionLake.EXIT_USAGE);
            assertThat(result.err())
                    .as("error of %s", args)
                    .startsWith("visionlake augment: ")
                    .contains(expected[i]);
        }
        assertThat(Files.exists(lakeDir.resolve("datasets/x"))).isFalse();
    }

    @Test
    void datasetsList_showsBothDatasetsWithKindShapeAndQuarantine() {
        Result result = run("datasets", "list");

        assertThat(result.status()).isZero();
        assertThat(result.out()).contains("QUARANTINED");
        assertThat(result.out().lines().filter(line -> line.startsWith("cifar-cli ")))
                .singleElement()
                .satisfies(line -> assertThat(line).contains("ingested", "32x32x3", " 12 ", " 2 ", "train=6"));
        assertThat(result.out().lines().filter(line -> line.startsWith("cifar-cli-aug ")))
                .singleElement()
                .satisfies(line -> assertThat(line).contains("augmented", "32x32x3", " 18 ", "train=12"));
    }

    @Test
    void datasetsShow_printsCountsPerSplitAndClassShapeAndQuarantine() {
        Result result = run("datasets", "show", "cifar-cli");

        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("image shape  32x32x3")
                .contains("quarantine   2 input(s):")
                .contains("hidden-file=3");
        assertThat(result.out().lines().filter(line -> line.startsWith("CLASS")))
                .singleElement()
                .satisfies(line ->
                        assertThat(line.split("\\s+")).containsExactly("CLASS", "test", "train", "val", "total"));
        assertThat(result.out().lines().filter(line -> line.startsWith("cat ")))
                .singleElement()
                .satisfies(line -> assertThat(line.split("\\s+")).containsExactly("cat", "1", "2", "1", "4"));
        assertThat(result.out().lines().map(String::trim).filter(line -> line.startsWith("truncated")))
                .singleElement()
                .satisfies(line -> assertThat(line.split("\\s+")).containsExactly("truncated", "1"));
    }

    @Test
    void datasetsShow_ofAnAugmentedDatasetShowsItsLineage() {
        Result result = run("datasets", "show", "cifar-cli-aug");

        assertThat(result.out())
                .contains("dataset      cifar-cli-aug (augmented")
                .contains("quarantine   none: augmented datasets only hold rows of cifar-cli")
                .contains("sourceDataset      cifar-cli")
                .contains("carriedSplits      [test, val]");
        assertThat(result.out().lines().filter(line -> line.startsWith("total")))
                .singleElement()
                .satisfies(line -> assertThat(line.split("\\s+")).containsExactly("total", "3", "12", "3", "18"));
    }

    @Test
    void datasetsShowJson_hasTheManifestSplitTotalsAndQuarantine() throws Exception {
        Result result = run("datasets", "show", "cifar-cli", "--json");

        JsonNode json = Json.mapper().readTree(result.out());
        assertThat(json.get("name").asText()).isEqualTo("cifar-cli");
        assertThat(json.at("/shape/channels").asInt()).isEqualTo(3);
        assertThat(json.at("/counts/train/dog").asLong()).isEqualTo(2);
        assertThat(json.at("/splitTotals/val").asLong()).isEqualTo(3);
        assertThat(json.at("/quarantine/images").asLong()).isEqualTo(2);
        assertThat(json.at("/quarantine/reasons/not-an-image").asLong()).isEqualTo(1);
    }

    @Test
    void datasetsListJson_isTheListOfManifests() throws Exception {
        Result result = run("datasets", "list", "--json");

        JsonNode json = Json.mapper().readTree(result.out());
        assertThat(json.isArray()).isTrue();
        assertThat(json.findValuesAsText("name")).containsExactly("cifar-cli", "cifar-cli-aug");
        assertThat(json.get(1).at("/lineage/sourceFingerprint").asText())
                .isEqualTo(json.get(0).get("fingerprint").asText());
    }
}
