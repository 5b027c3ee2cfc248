package org.visionlake.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.visionlake.cli.VisionLake;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.lake.ImageSchema;
import org.visionlake.lake.Lake;
import org.visionlake.lake.LakeDatasets;
import org.visionlake.testing.TestSpark;
import picocli.CommandLine;

class IngestJobTest {
    @TempDir
    Path dir;

    private final SparkSession spark = TestSpark.session();

    private Lake lake() {
        return Lake.open(dir.resolve("lake").toString(), spark.sparkContext().hadoopConfiguration());
    }

    private IngestResult ingest(IngestSettings settings) {
        return new IngestJob(spark, lake()).run(settings);
    }

    /** A class-folder tree with every kind of good, bad and odd file; returns the source folder. */
    private Path messyImageFolder() throws Exception {
        Path src = dir.resolve("src");
        int seed = 0;
        for (String split : new String[] {"train", "test"}) {
            for (String label : new String[] {"cat", "dog"}) {
                Path folder = src.resolve(split).resolve(label);
                Fixtures.write(folder.resolve("a.png"), Fixtures.encode(Fixtures.noise(12, 10, ++seed), "png"));
                Fixtures.write(folder.resolve("b.jpg"), Fixtures.encode(Fixtures.noise(20, 20, ++seed), "jpeg"));
                Fixtures.write(folder.resolve("c.bmp"), Fixtures.encode(Fixtures.noise(8, 8, ++seed), "bmp"));
                Fixtures.write(folder.resolve("d.gif"), Fixtures.gif(Fixtures.noise(9, 9, ++seed)));
            }
        }
        Path cats = src.resolve("train/cat");
        Files.copy(cats.resolve("a.png"), cats.resolve("z-copy.png")); // exact duplicate: a.png wins
        Fixtures.write(cats.resolve("猫 café.png"), Fixtures.encode(Fixtures.noise(10, 10, 99), "png"));
        Fixtures.write(cats.resolve("cmyk.jpg"), Fixtures.cmykJpeg(16, 16));
        Fixtures.write(cats.resolve("deep16.png"), Fixtures.png16(10, 10, 0xFFFF, 0x8080, 0x00FF));
        Fixtures.write(cats.resolve("palette.png"), Fixtures.paletteAlphaPng(10, 10));
        Fixtures.write(
                cats.resolve("rotated.jpg"),
                Fixtures.withExifOrientation(
                        Fixtures.encode(Fixtures.halves(20, 10, Color.RED, Color.BLUE), "jpeg"), 6));

        Path dogs = src.resolve("train/dog");
        Fixtures.write(
                dogs.resolve("truncated.jpg"), Fixtures.truncated(Fixtures.encode(Fixtures.noise(64, 64, 7), "jpeg")));
        Fixtures.write(dogs.resolve("empty.jpg"), new byte[0]);
        Fixtures.write(dogs.resolve("random.jpg"), Fixtures.randomBytes(300, 5));
        Fixtures.write(dogs.resolve("notes.txt"), "not an image".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Fixtures.write(dogs.resolve("bomb.png"), Fixtures.pngHeaderOnly(100_000, 100_000));

        Fixtures.write(dogs.resolve(".DS_Store"), new byte[] {0, 0, 0, 1});
        Fixtures.write(dogs.resolve("Thumbs.db"), new byte[] {1, 2, 3});
        Fixtures.write(dogs.resolve("._b.jpg"), new byte[] {0, 5, 22, 7});
        Fixtures.write(cats.resolve("desktop.ini"), new byte[] {'[', ']'});
        Fixtures.write(src.resolve("README.md"), new byte[] {'#'});
        Fixtures.write(src.resolve("train/stray.png"), Fixtures.encode(Fixtures.noise(8, 8, 123), "png"));
        return src;
    }

    @Test
    void ingest_messyImageFolder_countsEveryFileAndQuarantinesTheBadOnes() throws Exception {
        Path src = messyImageFolder();
        IngestSettings settings = IngestSettings.builder(src.toUri().toString(), "pets")
                .size(8, 8)
                .valFraction(0.3)
                .build();

        IngestResult result = ingest(settings);

        // 16 good images + duplicate + 5 odd-but-valid + 5 broken = 27 inputs.
        assertThat(result.read()).isEqualTo(27);
        assertThat(result.duplicates()).isEqualTo(1);
        assertThat(result.written()).isEqualTo(21);
        assertThat(result.quarantined())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("truncated", 1L, "empty_file", 1L, "not_an_image", 2L, "too_many_pixels", 1L));
        assertThat(result.skipped())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "ds_store",
                        1L,
                        "thumbs_db",
                        1L,
                        "appledouble_sidecar",
                        1L,
                        "desktop_ini",
                        1L,
                        "outside_class_folder",
                        2L));

        DatasetManifest manifest = new LakeDatasets(lake()).manifest("pets");
        assertThat(manifest.labels()).containsExactly("cat", "dog");
        assertThat(manifest.counts().get("test")).containsExactlyInAnyOrderEntriesOf(Map.of("cat", 4L, "dog", 4L));
        assertThat(manifest.total("train") + manifest.total("val")).isEqualTo(13);
        assertThat(manifest.total()).isEqualTo(result.written());
        assertThat(manifest.ingest().quarantined()).isEqualTo(result.quarantined());
        assertThat(manifest.preprocessing()).containsEntry("resize", "crop").containsEntry("height", 8);

        List<Row> rows = new LakeDatasets(lake()).read(spark, "pets").collectAsList();
        List<String> paths =
                rows.stream().map(r -> r.<String>getAs(ImageSchema.SOURCE_PATH)).toList();
        assertThat(paths).anyMatch(p -> p.endsWith("a.png") && p.contains("/train/cat/"));
        assertThat(paths).noneMatch(p -> p.endsWith("z-copy.png"));
        assertThat(paths).anyMatch(p -> p.contains("猫 café.png") || p.contains("%E7%8C%AB"));
        assertThat(rows)
                .allSatisfy(r -> assertThat(r.<byte[]>getAs(ImageSchema.PIXELS)).hasSize(8 * 8 * 3));

        Map<String, String> reasons =
                spark.read().parquet(lake().quarantinePath("pets").toString()).collectAsList().stream()
                        .collect(Collectors.toMap(r -> r.getString(0).replaceAll(".*/", ""), r -> r.getString(1)));
        assertThat(reasons)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "truncated.jpg",
                        "truncated",
                        "empty.jpg",
                        "empty_file",
                        "random.jpg",
                        "not_an_image",
                        "notes.txt",
                        "not_an_image",
                        "bomb.png",
                        "too_many_pixels"));
    }

    @Test
    void ingest_rerun_isIdempotent() throws Exception {
        Path src = messyImageFolder();
        IngestSettings settings =
                IngestSettings.builder(src.toString(), "again").size(8, 8).build();

        IngestResult first = ingest(settings);
        Map<String, String> firstRows = idToSplit("again");
        IngestResult second = ingest(settings);

        assertThat(second.fingerprint()).isEqualTo(first.fingerprint());
        assertThat(idToSplit("again")).isEqualTo(firstRows);
        assertThat(second.counts()).isEqualTo(first.counts());
    }

    private Map<String, String> idToSplit(String name) {
        Map<String, String> map = new HashMap<>();
        new LakeDatasets(lake())
                .read(spark, name)
                .collectAsList()
                .forEach(r -> map.put(r.getAs(ImageSchema.ID), r.getAs(ImageSchema.SPLIT)));
        return map;
    }

    @Test
    void ingest_filenameLabels_carvesValidationByContentHash() throws Exception {
        Path src = dir.resolve("flat");
        for (int i = 0; i < 20; i++) {
            String label = i % 2 == 0 ? "cat" : "dog";
            Fixtures.write(
                    src.resolve(label + "." + i + ".jpg"), Fixtures.encode(Fixtures.noise(16, 16, 1000 + i), "jpeg"));
        }
        Fixtures.write(src.resolve("LICENSE"), new byte[] {'x'});

        IngestResult result = ingest(IngestSettings.builder(src.toString(), "cvd")
                .format(SourceFormat.FILENAME)
                .valFraction(0.5)
                .build());

        assertThat(result.skipped()).containsExactlyEntriesOf(Map.of("no_label_in_name", 1L));
        assertThat(result.written()).isEqualTo(20);
        assertThat(result.shape()).isEqualTo("16x16x3");
        assertThat(result.counts().keySet()).containsExactlyInAnyOrder("train", "val");
        List<Row> rows = new LakeDatasets(lake()).read(spark, "cvd").collectAsList();
        assertThat(rows).allSatisfy(r -> {
            String name = r.<String>getAs(ImageSchema.SOURCE_PATH).replaceAll(".*/", "");
            assertThat(r.<String>getAs(ImageSchema.LABEL_NAME)).isEqualTo(name.substring(0, 3));
            boolean val = SplitAssigner.unitInterval(r.getAs(ImageSchema.CONTENT_HASH)) < 0.5;
            assertThat(r.<String>getAs(ImageSchema.SPLIT)).isEqualTo(val ? "val" : "train");
        });
    }

    @Test
    void ingest_idxPairs_gzipAndPlain_keepTheirSplitsAndPixels() throws Exception {
        Path src = dir.resolve("idx");
        byte[][] train = new byte[6][];
        byte[][] test = new byte[3][];
        for (int i = 0; i < train.length; i++) {
            train[i] = Fixtures.greyRecord(28, 28, 10 + i);
        }
        for (int i = 0; i < test.length; i++) {
            test[i] = Fixtures.greyRecord(28, 28, 100 + i);
        }
        Fixtures.idxPair(src, "train", train, 28, 28, new byte[] {0, 1, 2, 0, 1, 2}, true);
        Fixtures.idxPair(src, "t10k", test, 28, 28, new byte[] {2, 1, 0}, false);

        IngestResult result = ingest(IngestSettings.builder(src.toString(), "digits")
                .format(SourceFormat.IDX)
                .labelNames(List.of("zero", "one", "two"))
                .valFraction(0)
                .build());

        assertThat(result.shape()).isEqualTo("28x28x1");
        assertThat(result.counts().get("train"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("zero", 2L, "one", 2L, "two", 2L));
        assertThat(result.counts().get("test"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("zero", 1L, "one", 1L, "two", 1L));
        Row third = new LakeDatasets(lake())
                .read(spark, "digits").collectAsList().stream()
                        .filter(r -> r.<String>getAs(ImageSchema.SOURCE_PATH).endsWith("t10k-images-idx3-ubyte#2"))
                        .findFirst()
                        .orElseThrow();
        assertThat(third.<String>getAs(ImageSchema.LABEL_NAME)).isEqualTo("zero");
        assertThat(third.<byte[]>getAs(ImageSchema.PIXELS)).containsExactly(test[2]);
    }

    @Test
    void ingest_cifarBinary_convertsPlanesToHwcAndReadsNames() throws Exception {
        Path src = dir.resolve("cifar");
        Files.createDirectories(src);
        Files.write(src.resolve("data_batch_1.bin"), cifarRecords(new int[] {3, 7, 3, 1}));
        Files.write(src.resolve("test_batch.bin"), cifarRecords(new int[] {0, 9}));
        Files.writeString(
                src.resolve("batches.meta.txt"),
                "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n");

        IngestResult result = ingest(IngestSettings.builder("file://" + src, "cifar")
                .format(SourceFormat.CIFAR10_BINARY)
                .valFraction(0)
                .build());

        assertThat(result.counts().get("train"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("cat", 2L, "horse", 1L, "automobile", 1L));
        assertThat(result.counts().get("test")).containsExactlyInAnyOrderEntriesOf(Map.of("airplane", 1L, "truck", 1L));
        Row row = new LakeDatasets(lake())
                .read(spark, "cifar").collectAsList().stream()
                        .filter(r -> r.<String>getAs(ImageSchema.SOURCE_PATH).endsWith("test_batch.bin#1"))
                        .findFirst()
                        .orElseThrow();
        byte[] pixels = row.getAs(ImageSchema.PIXELS);
        // Record 1 of the test batch: R = 9 + 1, G = 9 + 2, B = 9 + 3 everywhere; pixel 5 sits at 15..17.
        assertThat(new int[] {pixels[15], pixels[16], pixels[17]}).containsExactly(10, 11, 12);
    }

    /** One CIFAR record per label: R, G and B planes filled with label+1, label+2, label+3 (pixel 0 varies). */
    private static byte[] cifarRecords(int[] labels) {
        byte[] out = new byte[labels.length * 3073];
        for (int i = 0; i < labels.length; i++) {
            int base = i * 3073;
            out[base] = (byte) labels[i];
            for (int c = 0; c < 3; c++) {
                java.util.Arrays.fill(out, base + 1 + c * 1024, base + 1 + (c + 1) * 1024, (byte) (labels[i] + c + 1));
            }
            out[base + 1] = (byte) (200 + i); // keeps records with equal labels distinct
        }
        return out;
    }

    @Test
    void ingest_parquet_isReadableByParquetHadoopWithLabelsInTheFooter() throws Exception {
        Path src = dir.resolve("idx");
        Fixtures.idxPair(
                src,
                "train",
                new byte[][] {Fixtures.greyRecord(4, 4, 1), Fixtures.greyRecord(4, 4, 2)},
                4,
                4,
                new byte[] {0, 1},
                false);
        ingest(IngestSettings.builder(src.toString(), "tiny")
                .format(SourceFormat.IDX)
                .labelNames(List.of("left", "right"))
                .valFraction(0)
                .build());

        Path file;
        try (Stream<Path> files = Files.walk(dir.resolve("lake/datasets/tiny"))) {
            file = files.filter(p -> p.toString().endsWith(".parquet"))
                    .findFirst()
                    .orElseThrow();
        }
        org.apache.hadoop.fs.Path hadoopPath = new org.apache.hadoop.fs.Path(file.toUri());
        Configuration conf = new Configuration();
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(hadoopPath, conf))) {
            Map<String, String> footer = reader.getFooter().getFileMetaData().getKeyValueMetaData();
            String sparkSchema = footer.get("org.apache.spark.sql.parquet.row.metadata");
            assertThat(sparkSchema)
                    .contains(IngestJob.LABELS_METADATA_KEY)
                    .contains("left")
                    .contains("right");
            assertThat(reader.getRecordCount()).isEqualTo(2);
        }
        int rows = 0;
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), hadoopPath)
                .withConf(conf)
                .build()) {
            for (Group g = reader.read(); g != null; g = reader.read()) {
                assertThat(g.getBinary(ImageSchema.PIXELS, 0).length()).isEqualTo(16);
                assertThat(g.getString(ImageSchema.LABEL_NAME, 0)).isIn("left", "right");
                rows++;
            }
        }
        assertThat(rows).isEqualTo(2);
    }

    @Test
    void ingest_failingJob_leavesThePreviousVersionAndNoStaging() throws Exception {
        Path good = dir.resolve("good");
        Fixtures.idxPair(good, "train", new byte[][] {Fixtures.greyRecord(4, 4, 1)}, 4, 4, new byte[] {0}, true);
        IngestResult first = ingest(IngestSettings.builder(good.toString(), "keep")
                .format(SourceFormat.IDX)
                .build());

        // The header promises 3 images; the gzip stream holds 1: the tasks fail the job.
        Path broken = dir.resolve("broken");
        Fixtures.idxPair(broken, "train", new byte[][] {Fixtures.greyRecord(4, 4, 1)}, 4, 4, new byte[] {0}, true);
        byte[] images = Files.readAllBytes(broken.resolve("train-images-idx3-ubyte.gz"));
        Fixtures.idxPair(
                broken, "train", new byte[][] {Fixtures.greyRecord(4, 4, 1)}, 4, 4, new byte[] {0, 0, 0}, true);
        rewriteIdxCount(broken.resolve("train-images-idx3-ubyte.gz"), images, 3);

        for (String name : new String[] {"keep", "fresh"}) {
            assertThatThrownBy(() -> ingest(IngestSettings.builder(broken.toString(), name)
                            .format(SourceFormat.IDX)
                            .build()))
                    .hasStackTraceContaining("truncated");
        }

        LakeDatasets datasets = new LakeDatasets(lake());
        assertThat(datasets.names()).containsExactly("keep");
        assertThat(datasets.manifest("keep").fingerprint()).isEqualTo(first.fingerprint());
        try (Stream<Path> staging = Files.list(dir.resolve("lake/_staging"))) {
            assertThat(staging).isEmpty();
        }
    }

    private static void rewriteIdxCount(Path gz, byte[] original, int count) throws Exception {
        byte[] raw;
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(original))) {
            raw = in.readAllBytes();
        }
        java.nio.ByteBuffer.wrap(raw).putInt(4, count);
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(raw);
        }
    }

    @Test
    void ingestCommand_nameLeavingTheLake_isRefused() throws Exception {
        Path src = messyImageFolder();
        StringWriter err = new StringWriter();
        CommandLine cli = VisionLake.commandLine();
        cli.setErr(new PrintWriter(err));

        int status = cli.execute(
                "ingest",
                src.toString(),
                "--name",
                "../x",
                "--lake",
                dir.resolve("lake").toString());

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("invalid dataset name '../x'");
        assertThat(dir.resolve("x")).doesNotExist();
        assertThat(dir.resolve("lake/x")).doesNotExist();
    }
}
