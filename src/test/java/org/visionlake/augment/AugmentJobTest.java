package org.visionlake.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.visionlake.VisionLakeException;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.lake.ImageSchema;
import org.visionlake.lake.Lake;
import org.visionlake.lake.LakeDatasets;
import org.visionlake.testing.TestDatasets;
import org.visionlake.testing.TestSpark;

class AugmentJobTest {
    private static final String SOURCE = "cifar-mini";

    @TempDir
    static Path lakeDir;

    private static SparkSession spark;
    private static Lake lake;
    private static DatasetManifest source;
    private static AugmentSummary onePartition;
    private static AugmentSummary threePartitions;
    private static AugmentSummary otherSeed;

    /** Three runs shared by the tests: seed 5 on one and on three partitions, and seed 6. */
    @BeforeAll
    static void publishAndAugment() {
        spark = TestSpark.session();
        lake = Lake.open(lakeDir.toString(), spark.sparkContext().hadoopConfiguration());
        source = TestDatasets.publishCifar(spark, lake, SOURCE, 4, 2, false);
        onePartition = augment(settings("aug-p1", 5, 2, 1, true));
        threePartitions = augment(settings("aug-p3", 5, 2, 3, true));
        otherSeed = augment(settings("aug-seed6", 6, 2, 0, false));
    }

    private static AugmentSettings settings(String name, long seed, int copies, int partitions, boolean original) {
        AugmentPipeline pipeline = new AugmentPipeline(List.of(
                new RandomCrop(4, 1.0),
                new HorizontalFlip(0.5),
                new RandomRotation(10, 0.5, 0),
                new ColorJitter(0.2, 0.2, 0.5)));
        return new AugmentSettings(SOURCE, ImageSchema.TRAIN, name, copies, seed, original, partitions, pipeline);
    }

    private static AugmentSummary augment(AugmentSettings settings) {
        return AugmentJob.run(spark, lake, AugmentJob.plan(lake, settings));
    }

    /** Every column of every row, pixels as bytes, in id order. */
    private static List<Row> sortedRows(String dataset) {
        Dataset<Row> all = spark.read().parquet(lake.datasetPath(dataset).toString());
        List<Row> rows = new ArrayList<>(all.select(
                        "id",
                        "content_hash",
                        "source_path",
                        "label",
                        "label_name",
                        "split",
                        "height",
                        "width",
                        "channels",
                        "pixels",
                        "source_id",
                        "copy",
                        "transform")
                .collectAsList());
        rows.sort(Comparator.comparing(row -> row.getString(0)));
        return rows;
    }

    private static Map<String, Row> sourceRows() {
        Map<String, Row> map = new HashMap<>();
        new LakeDatasets(lake).read(spark, SOURCE).collectAsList().forEach(row -> map.put(row.getAs("id"), row));
        return map;
    }

    private static Map<String, Row> byId(List<Row> rows) {
        Map<String, Row> map = new HashMap<>();
        rows.forEach(row -> map.put(row.getString(0), row));
        return map;
    }

    @Test
    void sameSeed_givesByteIdenticalRowsOnAnyPartitioning() {
        List<Row> rowsOne = sortedRows("aug-p1");
        List<Row> rowsThree = sortedRows("aug-p3");
        assertThat(rowsThree).hasSameSizeAs(rowsOne);
        for (int i = 0; i < rowsOne.size(); i++) {
            Row a = rowsOne.get(i);
            Row b = rowsThree.get(i);
            for (int column = 0; column < a.size(); column++) {
                assertThat(b.get(column))
                        .as("row %s column %d", a.getString(0), column)
                        .isEqualTo(a.get(column));
            }
        }
        assertThat(threePartitions.fingerprint()).isEqualTo(onePartition.fingerprint());

        assertThat(otherSeed.fingerprint()).isNotEqualTo(onePartition.fingerprint());
        Map<String, Row> seed6 = byId(sortedRows("aug-seed6"));
        long differentPixels = rowsOne.stream()
                .filter(row -> row.getString(5).equals(ImageSchema.TRAIN) && row.getInt(11) > 0)
                .filter(row -> !java.util.Arrays.equals((byte[]) row.get(9), (byte[])
                        seed6.get(row.getString(0)).get(9)))
                .count();
        assertThat(differentPixels).isGreaterThan(24 / 2);
    }

    @Test
    void augmentedDataset_multipliesTrainAndCarriesValAndTestUnchanged() {
        AugmentSummary summary = otherSeed;

        assertThat(summary.imagesIn())
                .containsEntry("train", 12L)
                .containsEntry("val", 3L)
                .containsEntry("test", 3L);
        assertThat(summary.imagesOut())
                .containsEntry("train", 24L)
                .containsEntry("val", 3L)
                .containsEntry("test", 3L);
        assertThat(summary.carriedSplits()).containsExactlyInAnyOrder("val", "test");

        Map<String, Row> sourceRows = sourceRows();
        for (Row row : sortedRows("aug-seed6")) {
            Row original = sourceRows.get(row.getString(10));
            assertThat(original).as("source of %s", row.getString(0)).isNotNull();
            assertThat(row.getString(5)).isEqualTo(original.<String>getAs(ImageSchema.SPLIT));
            assertThat(row.getInt(3)).isEqualTo(original.<Integer>getAs(ImageSchema.LABEL));
            if (row.getString(5).equals(ImageSchema.TRAIN)) {
                assertThat(row.getString(0)).isEqualTo(row.getString(10) + "-c" + row.getInt(11));
                assertThat(row.getInt(11)).isBetween(1, 2);
                assertThat(row.getString(12)).startsWith("[{\"op\":\"crop\"");
            } else {
                assertThat(row.getString(0)).isEqualTo(original.<String>getAs(ImageSchema.ID));
                assertThat(row.getInt(11)).isZero();
                assertThat(row.getString(12)).isEqualTo("[]");
                assertThat((byte[]) row.get(9)).isEqualTo((byte[]) original.getAs("pixels"));
            }
        }
    }

    @Test
    void manifest_recordsKindAndLineage() {
        DatasetManifest manifest = new LakeDatasets(lake).manifest("aug-seed6");

        assertThat(manifest.kind()).isEqualTo("augmented");
        assertThat(manifest.shape()).isEqualTo(source.shape());
        assertThat(manifest.labels()).isEqualTo(source.labels());
        assertThat(manifest.lineage())
                .containsEntry("sourceDataset", SOURCE)
                .containsEntry("sourceFingerprint", source.fingerprint())
                .containsEntry("split", "train")
                .containsEntry("seed", 6)
                .containsEntry("copies", 2)
                .containsEntry("includeOriginal", false)
                .containsEntry("carriedSplits", List.of("test", "val"))
                .containsKey("transforms");
        assertThat(manifest.lineage().get("transforms").toString())
                .contains("crop", "padding=4", "flip", "rotate", "maxDegrees=10.0", "jitter", "brightness=0.2");
    }

    @Test
    void imageSchemaReaders_readAugmentedDataWithoutTheLineageColumns() {
        Dataset<Row> read = new LakeDatasets(lake).readSplit(spark, "aug-seed6", ImageSchema.TRAIN);

        // Spark puts the partition column (split) last whatever order the schema asks for.
        assertThat(read.schema().fieldNames())
                .containsExactlyInAnyOrder(ImageSchema.schema().fieldNames());
        List<Row> rows = read.collectAsList();
        assertThat(rows).hasSize(24);
        for (Row row : rows) {
            assertThat(((byte[]) row.getAs(ImageSchema.PIXELS))).hasSize(32 * 32 * 3);
        }
        assertThat(spark.read()
                        .parquet(lake.datasetPath("aug-seed6").toString())
                        .schema()
                        .fieldNames())
                .contains(AugmentedColumns.SOURCE_ID, AugmentedColumns.COPY, AugmentedColumns.TRANSFORM);
    }

    @Test
    void includeOriginal_keepsTheSourceImageAsCopyZero() {
        assertThat(onePartition.imagesOut()).containsEntry("train", 36L);
        Map<String, Row> sourceRows = sourceRows();
        List<Row> copiesZero = sortedRows("aug-p1").stream()
                .filter(row -> row.getString(5).equals(ImageSchema.TRAIN) && row.getInt(11) == 0)
                .toList();
        assertThat(copiesZero).hasSize(12);
        for (Row row : copiesZero) {
            assertThat(row.getString(12)).isEqualTo("[]");
            assertThat((byte[]) row.get(9))
                    .isEqualTo((byte[]) sourceRows.get(row.getString(10)).getAs("pixels"));
        }
    }

    @Test
    void greyDataset_isAugmentedInOneChannel() {
        DatasetManifest grey = TestDatasets.publishCifar(spark, lake, "cifar-grey", 2, 2, true);
        AugmentSettings settings = new AugmentSettings(
                grey.name(),
                ImageSchema.TRAIN,
                "grey-aug",
                2,
                4,
                false,
                0,
                settings("x", 4, 1, 0, false).pipeline());

        AugmentSummary summary = augment(settings);

        assertThat(summary.imagesOut()).containsEntry("train", 12L);
        DatasetManifest manifest = new LakeDatasets(lake).manifest("grey-aug");
        assertThat(manifest.shape()).isEqualTo(new DatasetManifest.Shape(32, 32, 1));
        for (Row row : sortedRows("grey-aug")) {
            assertThat(row.getInt(8)).isEqualTo(1);
            assertThat((byte[]) row.get(9)).hasSize(32 * 32);
        }
    }

    @Test
    void plan_refusesAnUnknownDatasetOrSplit() {
        assertThatThrownBy(() -> AugmentJob.plan(
                        lake,
                        new AugmentSettings("nope", "train", "x", 1, 0, false, 0, AugmentPipeline.cifarDefaults())))
                .isInstanceOf(VisionLakeException.class)
                .hasMessageContaining("dataset 'nope' not found")
                .hasMessageContaining(SOURCE);
        assertThatThrownBy(() -> AugmentJob.plan(
                        lake,
                        new AugmentSettings(SOURCE, "training", "x", 1, 0, false, 0, AugmentPipeline.cifarDefaults())))
                .isInstanceOf(VisionLakeException.class)
                .hasMessageContaining("no images in split 'training'")
                .hasMessageContaining("[test, train, val]");
    }

    @Test
    void settings_refuseBadCopiesNamesAndPartitions() {
        AugmentPipeline defaults = AugmentPipeline.cifarDefaults();

        assertThatThrownBy(() -> new AugmentSettings(SOURCE, "train", "x", 0, 0, false, 0, defaults))
                .isInstanceOf(VisionLakeException.class)
                .hasMessageContaining("--copies must be between 1 and 1000, found 0");
        assertThatThrownBy(() -> new AugmentSettings(SOURCE, "train", "../x", 1, 0, false, 0, defaults))
                .isInstanceOf(VisionLakeException.class)
                .hasMessageContaining("invalid dataset name '../x'");
        assertThatThrownBy(() -> new AugmentSettings(SOURCE, "train", SOURCE, 1, 0, false, 0, defaults))
                .hasMessageContaining("is the source dataset itself");
        assertThatThrownBy(() -> new AugmentSettings(SOURCE, "train", "x", 1, 0, false, -1, defaults))
                .hasMessageContaining("--partitions must be 0");
    }
}
