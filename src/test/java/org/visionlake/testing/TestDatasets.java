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
import org.visionlake.augment.HwcImage;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.lake.DatasetPublisher;
import org.visionlake.lake.ImageSchema;
import org.visionlake.lake.Lake;
import org.visionlake.lake.Sha256;

/**
 * Small real datasets for tests: a handful of CIFAR-10 JPEGs streamed out of {@code ../shared/datasets}'s archive
 * (never extracted, never copied into the project), decoded to HWC bytes and published through
 * {@link DatasetPublisher} exactly as an ingest would.
 */
public final class TestDatasets {
    public static final String CIFAR_ARCHIVE = "cifar10-jpg.tar.gz";
    public static final List<String> CLASSES = List.of("cat", "dog", "ship");

    /** Images kept per split and class by the one pass over the archive; requests for more are refused. */
    public static final int MAX_PER_CLASS = 8;

    private static List<Jpeg> archiveSample;

    private TestDatasets() {}

    /** One image of the archive: where it was, its split and class folder, its file bytes and decoded pixels. */
    public record Jpeg(String path, String split, String label, byte[] bytes, HwcImage image) {
        public String contentHash() {
            return Sha256.hex(bytes);
        }
    }

    /** An image placed in a split of a dataset under a label. */
    public record Entry(String split, String label, String sourcePath, String contentHash, HwcImage image) {}

    /**
     * The first {@code perClass} images of each class of {@code classes} in the archive's folder {@code split}
     * ({@code train} or {@code test}), in archive order, at most {@link #MAX_PER_CLASS}. The archive is streamed
     * once per JVM (about 20 MB of gzip) and only the sample is decoded.
     */
    public static synchronized List<Jpeg> cifarJpegs(String split, int perClass, List<String> classes) {
        if (perClass > MAX_PER_CLASS) {
            throw new IllegalArgumentException("at most " + MAX_PER_CLASS + " images per class, asked " + perClass);
        }
        if (archiveSample == null) {
            archiveSample = readCifar();
        }
        List<Jpeg> chosen = new ArrayList<>();
        for (String label : classes) {
            archiveSample.stream()
                    .filter(jpeg -> jpeg.split().equals(split) && jpeg.label().equals(label))
                    .limit(perClass)
                    .forEach(chosen::add);
        }
        return chosen;
    }

    /**
     * Publishes dataset {@code name}: {@code trainPerClass} real images per class in {@code train}, and
     * {@code evalPerClass} images per class from the archive's test folder, alternately into {@code val} and
     * {@code test}.
     */
    public static DatasetManifest publishCifar(
            SparkSession spark, Lake lake, String name, int trainPerClass, int evalPerClass, boolean grey) {
        return publish(spark, lake, name, cifarEntries(trainPerClass, evalPerClass, grey), CLASSES);
    }

    /** The entries {@link #publishCifar} publishes, for tests that publish them with other ingest counts. */
    public static List<Entry> cifarEntries(int trainPerClass, int evalPerClass, boolean grey) {
        List<Entry> entries = new ArrayList<>();
        for (Jpeg jpeg : cifarJpegs("train", trainPerClass, CLASSES)) {
            entries.add(entry(ImageSchema.TRAIN, jpeg, grey));
        }
        int n = 0;
        for (Jpeg jpeg : cifarJpegs("test", evalPerClass, CLASSES)) {
            entries.add(entry(n++ % 2 == 0 ? ImageSchema.VAL : ImageSchema.TEST, jpeg, grey));
        }
        return entries;
    }

    /** Publishes {@code entries} as an {@code ingested} dataset; {@code labels} gives each label its index. */
    public static DatasetManifest publish(
            SparkSession spark, Lake lake, String name, List<Entry> entries, List<String> labels) {
        return publish(
                spark,
                lake,
                name,
                entries,
                labels,
                new DatasetManifest.IngestCounts(entries.size(), entries.size(), 0, Map.of(), Map.of()));
    }

    /** As {@link #publish(SparkSession, Lake, String, List, List)}, with the ingest counts the manifest records. */
    public static DatasetManifest publish(
            SparkSession spark,
            Lake lake,
            String name,
            List<Entry> entries,
            List<String> labels,
            DatasetManifest.IngestCounts ingest) {
        List<Row> rows = new ArrayList<>();
        for (Entry e : entries) {
            rows.add(RowFactory.create(
                    e.contentHash().substring(0, 16),
                    e.contentHash(),
                    e.sourcePath(),
                    labels.indexOf(e.label()),
                    e.label(),
                    e.split(),
                    e.image().height(),
                    e.image().width(),
                    e.image().channels(),
                    e.image().pixels()));
        }
        Dataset<Row> frame = spark.createDataFrame(rows, ImageSchema.schema());
        HwcImage first = entries.get(0).image();
        Map<String, Object> preprocessing = new LinkedHashMap<>();
        preprocessing.put("resize", "none");
        preprocessing.put("colour", first.channels() == 1 ? "grey" : "rgb");
        return new DatasetPublisher(spark, lake)
                .publish(
                        frame,
                        new DatasetPublisher.Draft(
                                name,
                                "ingested",
                                "file:" + sharedArchive(),
                                "class-folders",
                                new DatasetManifest.Shape(first.height(), first.width(), first.channels()),
                                preprocessing,
                                labels,
                                ingest,
                                null));
    }

    /** The luminance of an RGB image as a one-channel image (ITU-R BT.601 weights). */
    public static HwcImage grey(HwcImage rgb) {
        byte[] out = new byte[rgb.height() * rgb.width()];
        for (int i = 0; i < out.length; i++) {
            double y = 0.299 * rgb.get(i / rgb.width(), i % rgb.width(), 0)
                    + 0.587 * rgb.get(i / rgb.width(), i % rgb.width(), 1)
                    + 0.114 * rgb.get(i / rgb.width(), i % rgb.width(), 2);
            out[i] = (byte) Math.min(255, Math.round(y));
        }
        return new HwcImage(rgb.height(), rgb.width(), 1, out);
    }

    public static Path sharedArchive() {
        return TestSpark.sharedDatasets().resolve(CIFAR_ARCHIVE);
    }

    private static Entry entry(String split, Jpeg jpeg, boolean grey) {
        HwcImage image = grey ? grey(jpeg.image()) : jpeg.image();
        return new Entry(split, jpeg.label(), sharedArchive() + "#" + jpeg.path(), jpeg.contentHash(), image);
    }

    private static List<Jpeg> readCifar() {
        Map<String, Integer> taken = new HashMap<>();
        List<Jpeg> found = new ArrayList<>();
        TarReader.forEachFile(sharedArchive(), (name, bytes) -> {
            String[] parts = name.split("/");
            if (parts.length == 4
                    && parts[3].endsWith(".jpg")
                    && taken.merge(parts[1] + "/" + parts[2], 1, Integer::sum) <= MAX_PER_CLASS) {
                found.add(new Jpeg(name, parts[1], parts[2], bytes, decode(name, bytes)));
            }
        });
        return found;
    }

    private static HwcImage decode(String name, byte[] bytes) {
        BufferedImage decoded;
        try {
            decoded = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode " + name, e);
        }
        if (decoded == null) {
            throw new IllegalStateException("no ImageIO reader decodes " + name);
        }
        int h = decoded.getHeight();
        int w = decoded.getWidth();
        byte[] pixels = new byte[h * w * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = decoded.getRGB(x, y);
                int at = (y * w + x) * 3;
                pixels[at] = (byte) (rgb >> 16);
                pixels[at + 1] = (byte) (rgb >> 8);
                pixels[at + 2] = (byte) rgb;
            }
        }
        return new HwcImage(h, w, 3, pixels);
    }
}
