package org.visionlake.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.lake.DatasetPublisher;
import org.visionlake.lake.ImageSchema;
import org.visionlake.lake.Lake;
import org.visionlake.lake.Sha256;

/**
 * Real images streamed out of the shared tar.gz archives (never extracted, never copied into the project), decoded
 * to HWC RGB bytes and published through {@link DatasetPublisher} as an ingest would.
 */
public final class ArchiveImages {
    public static final String CIFAR = "cifar10-jpg.tar.gz";
    public static final String CATS_VS_DOGS = "cats-vs-dogs-64.tar.gz";

    private ArchiveImages() {}

    /** One decoded image and where it goes. */
    public record Image(String path, String split, String label, byte[] fileBytes, int height, int width, byte[] rgb) {}

    /**
     * CIFAR-10 images: {@code perClass} per class of {@code labels} from the archive's {@code train} folder into
     * split train, and {@code evalPerClass} per class from its {@code test} folder, alternately into val and test.
     */
    public static List<Image> cifar(List<String> labels, int perClass, int evalPerClass) {
        Map<String, Integer> taken = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        return read(CIFAR, path -> {
            String[] parts = path.split("/");
            if (parts.length != 4 || !parts[3].endsWith(".jpg") || !labels.contains(parts[2])) {
                return null;
            }
            boolean train = parts[1].equals("train");
            int limit = train ? perClass : evalPerClass;
            String key = parts[1] + "/" + parts[2];
            if (taken.merge(key, 1, Integer::sum) > limit) {
                return null;
            }
            if (train) {
                return new String[] {ImageSchema.TRAIN, parts[2]};
            }
            int n = seen.merge(key, 1, Integer::sum);
            return new String[] {n % 2 == 1 ? ImageSchema.VAL : ImageSchema.TEST, parts[2]};
        });
    }

    /**
     * Cats-vs-dogs images ({@code cat.<n>.jpg}, {@code dog.<n>.jpg}): per class, the first {@code train} files go to
     * train, the next {@code eval} alternately to val and test.
     */
    public static List<Image> catsVsDogs(int train, int eval) {
        Map<String, Integer> taken = new HashMap<>();
        return read(CATS_VS_DOGS, path -> {
            String name = path.substring(path.lastIndexOf('/') + 1);
            if (!name.endsWith(".jpg") || name.indexOf('.') < 1) {
                return null;
            }
            String label = name.substring(0, name.indexOf('.'));
            int n = taken.merge(label, 1, Integer::sum);
            if (n > train + eval) {
                return null;
            }
            String split = n <= train ? ImageSchema.TRAIN : (n - train) % 2 == 1 ? ImageSchema.VAL : ImageSchema.TEST;
            return new String[] {split, label};
        });
    }

    /**
     * The images box-averaged down to {@code size x size} (the archive size must be a multiple), as an ingest with
     * {@code --resize} would store them: the same real pictures at a fraction of the training cost.
     */
    public static List<Image> shrink(List<Image> images, int size) {
        List<Image> out = new ArrayList<>(images.size());
        for (Image image : images) {
            int factor = image.height() / size;
            if (factor * size != image.height() || factor * size != image.width()) {
                throw new IllegalArgumentException(
                        image.path() + " is " + image.height() + "x" + image.width() + ", not a multiple of " + size);
            }
            byte[] rgb = new byte[size * size * 3];
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    for (int c = 0; c < 3; c++) {
                        int sum = 0;
                        for (int dy = 0; dy < factor; dy++) {
                            for (int dx = 0; dx < factor; dx++) {
                                sum += image.rgb()[((y * factor + dy) * image.width() + x * factor + dx) * 3 + c]
                                        & 0xFF;
                            }
                        }
                        rgb[(y * size + x) * 3 + c] = (byte) Math.round(sum / (float) (factor * factor));
                    }
                }
            }
            out.add(new Image(image.path(), image.split(), image.label(), image.fileBytes(), size, size, rgb));
        }
        return out;
    }

    /** Publishes {@code images} as dataset {@code name}; {@code labels} gives each label its index. */
    public static DatasetManifest publish(
            SparkSession spark, Lake lake, String name, List<Image> images, List<String> labels) {
        List<Row> rows = new ArrayList<>();
        for (Image image : images) {
            String hash = Sha256.hex(image.fileBytes());
            rows.add(RowFactory.create(
                    hash.substring(0, 16),
                    hash,
                    image.path(),
                    labels.indexOf(image.label()),
                    image.label(),
                    image.split(),
                    image.height(),
                    image.width(),
                    3,
                    image.rgb()));
        }
        Image first = images.get(0);
        Map<String, Object> preprocessing = new LinkedHashMap<>();
        preprocessing.put("resize", "none");
        preprocessing.put("colour", "rgb");
        return new DatasetPublisher(spark, lake)
                .publish(
                        spark.createDataFrame(rows, ImageSchema.schema()),
                        new DatasetPublisher.Draft(
                                name,
                                "ingested",
                                "test-archive",
                                "archive",
                                new DatasetManifest.Shape(first.height(), first.width(), 3),
                                preprocessing,
                                labels,
                                new DatasetManifest.IngestCounts(images.size(), images.size(), 0, Map.of(), Map.of()),
                                null));
    }

    /** Reads the archive once, keeping the entries that {@code choose} maps to {split, label} (null skips). */
    private static List<Image> read(String archive, Function<String, String[]> choose) {
        List<Image> images = new ArrayList<>();
        TarReader.forEachFile(TestSpark.sharedDatasets().resolve(archive), (path, body) -> {
            String[] target = choose.apply(path);
            if (target != null) {
                images.add(decode(archive + "#" + path, target, body));
            }
        });
        return images;
    }

    private static Image decode(String path, String[] target, byte[] body) {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(body));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode " + path, e);
        }
        int h = image.getHeight();
        int w = image.getWidth();
        byte[] rgb = new byte[h * w * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = image.getRGB(x, y);
                int i = (y * w + x) * 3;
                rgb[i] = (byte) (p >> 16);
                rgb[i + 1] = (byte) (p >> 8);
                rgb[i + 2] = (byte) p;
            }
        }
        return new Image(path, target[0], target[1], body, h, w, rgb);
    }
}
