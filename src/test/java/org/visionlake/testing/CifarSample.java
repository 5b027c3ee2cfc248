package org.visionlake.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.lake.DatasetPublisher;
import org.visionlake.lake.ImageSchema;
import org.visionlake.lake.Lake;
import org.visionlake.lake.Sha256;

/**
 * Small real datasets for tests: CIFAR-10 JPEGs read straight from {@code ../shared/datasets/cifar10-jpg.tar.gz}
 * (streamed by {@link TarReader}), decoded with ImageIO, optionally box-downscaled, and published into
 * a test lake with {@link DatasetPublisher}. The archive's test split becomes the dataset's {@code val} split.
 *
 * <p>Decoded images are cached per JVM, so several test classes pay for reading the archive once.
 */
public final class CifarSample {
    private static final Map<String, List<byte[]>> JPEGS = new HashMap<>();
    private static final int MAX_PER_CLASS = 400;

    private CifarSample() {}

    /**
     * Publishes dataset {@code name}: {@code trainPerClass} and {@code valPerClass} images of each class, at
     * {@code size}x{@code size} (32 is the original; 16 and 8 average 2x2 and 4x4 blocks).
     */
    public static DatasetManifest publish(
            SparkSession spark,
            Lake lake,
            String name,
            List<String> classes,
            int trainPerClass,
            int valPerClass,
            int size) {
        List<Row> rows = new ArrayList<>();
        for (int label = 0; label < classes.size(); label++) {
            String labelName = classes.get(label);
            addRows(rows, "train", labelName, label, trainPerClass, size);
            addRows(rows, "test", labelName, label, valPerClass, size);
        }
        Dataset<Row> frame = spark.createDataFrame(rows, ImageSchema.schema());
        DatasetPublisher.Draft draft = new DatasetPublisher.Draft(
                name,
                "ingested",
                TestSpark.sharedDatasets().resolve("cifar10-jpg.tar.gz").toString(),
                "tar-jpeg",
                new DatasetManifest.Shape(size, size, 3),
                Map.of("resize", size + "x" + size),
                classes,
                null,
                null);
        return new DatasetPublisher(spark, lake).publish(frame, draft);
    }

    private static void addRows(List<Row> rows, String archiveSplit, String labelName, int label, int n, int size) {
        List<byte[]> jpegs = jpegs(archiveSplit, labelName);
        if (jpegs.size() < n) {
            throw new IllegalArgumentException("only " + jpegs.size() + " images of " + labelName + " cached");
        }
        String split = archiveSplit.equals("test") ? ImageSchema.VAL : ImageSchema.TRAIN;
        for (int i = 0; i < n; i++) {
            byte[] jpeg = jpegs.get(i);
            String hash = Sha256.hex(jpeg);
            String source = "cifar10/" + archiveSplit + "/" + labelName + "/" + i + ".jpg";
            rows.add(RowFactory.create(
                    hash.substring(0, 16), hash, source, label, labelName, split, size, size, 3, pixels(jpeg, size)));
        }
    }

    /** HWC RGB bytes of a JPEG, averaged down to {@code size}x{@code size}. */
    public static byte[] pixels(byte[] jpeg, int size) {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(jpeg));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int factor = image.getWidth() / size;
        byte[] out = new byte[size * size * 3];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int[] sum = new int[3];
                for (int dy = 0; dy < factor; dy++) {
                    for (int dx = 0; dx < factor; dx++) {
                        int rgb = image.getRGB(x * factor + dx, y * factor + dy);
                        sum[0] += (rgb >> 16) & 0xFF;
                        sum[1] += (rgb >> 8) & 0xFF;
                        sum[2] += rgb & 0xFF;
                    }
                }
                for (int c = 0; c < 3; c++) {
                    out[(y * size + x) * 3 + c] = (byte) (sum[c] / (factor * factor));
                }
            }
        }
        return out;
    }

    /** The first JPEGs (in archive order) of one class of one archive split. */
    public static synchronized List<byte[]> jpegs(String archiveSplit, String labelName) {
        if (JPEGS.isEmpty()) {
            readArchive(TestSpark.sharedDatasets().resolve("cifar10-jpg.tar.gz"));
        }
        return JPEGS.getOrDefault(archiveSplit + "/" + labelName, List.of());
    }

    private static void readArchive(Path archive) {
        Map<String, List<byte[]>> found = new LinkedHashMap<>();
        TarReader.forEachFile(archive, (entry, body) -> {
            String[] parts = entry.split("/");
            if (parts.length == 4 && parts[3].endsWith(".jpg")) {
                List<byte[]> bucket = found.computeIfAbsent(parts[1] + "/" + parts[2], k -> new ArrayList<>());
                if (bucket.size() < MAX_PER_CLASS) {
                    bucket.add(body);
                }
            }
        });
        JPEGS.putAll(found);
    }
}
