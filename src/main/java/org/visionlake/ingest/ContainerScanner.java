package org.visionlake.ingest;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.visionlake.VisionLakeException;
import org.visionlake.lake.ImageSchema;

/**
 * Finds the container files of an IDX or CIFAR-10 binary source, checks their headers on the driver, and cuts them
 * into record ranges for the tasks. Only the small label files are read whole here.
 */
final class ContainerScanner {
    private static final Pattern IDX_IMAGES = Pattern.compile("(.+)-images[-.]idx3-ubyte(\\.gz)?");
    private static final Pattern CIFAR_TRAIN = Pattern.compile("data_batch_\\d+\\.bin");
    private static final String CIFAR_TEST = "test_batch.bin";
    private static final int IDX_IMAGES_MAGIC = 0x00000803;
    private static final int IDX_LABELS_MAGIC = 0x00000801;
    private static final int CIFAR_SIDE = 32;
    private static final int CIFAR_RECORD = 1 + 3 * CIFAR_SIDE * CIFAR_SIDE;

    private final int recordsPerItem;
    private final List<String> labelNames;

    /** @param labelNames names given by the user, or null to use the source's own (or the label numbers) */
    ContainerScanner(int recordsPerItem, List<String> labelNames) {
        this.recordsPerItem = Math.max(1, recordsPerItem);
        this.labelNames = labelNames;
    }

    SourceScan scanIdx(FileSystem fs, Path root) throws IOException {
        List<WorkItem> items = new ArrayList<>();
        Map<String, Long> skipped = new TreeMap<>();
        int maxLabel = -1;
        int[] shape = null;
        long inputs = 0;
        for (FileStatus status : sortedFiles(fs, root)) {
            Matcher m = IDX_IMAGES.matcher(status.getPath().getName());
            if (!m.matches()) {
                continue;
            }
            Path labelsPath = labelsFileFor(fs, status.getPath(), m.group(1));
            byte[] labels = readIdxLabels(fs, labelsPath);
            boolean gzip = m.group(2) != null;
            int[] header = readIdxImageHeader(fs, status.getPath(), gzip);
            if (header[0] != labels.length) {
                throw new VisionLakeException(String.format(
                        "IDX pair does not match: %s holds %d images but %s holds %d labels; expected equal counts",
                        status.getPath(), header[0], labelsPath, labels.length));
            }
            if (shape != null && (shape[0] != header[1] || shape[1] != header[2])) {
                throw new VisionLakeException(String.format(
                        "IDX files of one source must share one image size: %s has %dx%d, an earlier file %dx%d",
                        status.getPath(), header[1], header[2], shape[0], shape[1]));
            }
            shape = new int[] {header[1], header[2], 1};
            for (byte label : labels) {
                maxLabel = Math.max(maxLabel, label & 0xFF);
            }
            WorkItem.Container container =
                    new WorkItem.Container(gzip, 16, header[1] * header[2], 0, header[1], header[2], 1);
            addRanges(items, status, idxSplit(m.group(1)), container, labels.length, labels);
            inputs += labels.length;
        }
        if (items.isEmpty()) {
            throw new VisionLakeException(String.format(
                    "no IDX image files under %s: expected pairs like train-images-idx3-ubyte[.gz] and"
                            + " train-labels-idx1-ubyte[.gz] (t10k-* for the test split)",
                    root));
        }
        List<String> names = names(fs, new Path(root, "labels.txt"), maxLabel + 1, root);
        return new SourceScan(items, names, inputs, skipped, hasVal(items), shape);
    }

    SourceScan scanCifar(FileSystem fs, Path root) throws IOException {
        List<WorkItem> items = new ArrayList<>();
        long inputs = 0;
        for (FileStatus status : sortedFiles(fs, root)) {
            String name = status.getPath().getName();
            boolean test = name.equals(CIFAR_TEST);
            if (!test && !CIFAR_TRAIN.matcher(name).matches()) {
                continue;
            }
            if (status.getLen() % CIFAR_RECORD != 0) {
                throw new VisionLakeException(String.format(
                        "%s is %d bytes, not a whole number of %d-byte CIFAR-10 records (1 label + 3072 pixels);"
                                + " the file is damaged or not a CIFAR-10 binary batch",
                        status.getPath(), status.getLen(), CIFAR_RECORD));
            }
            int records = (int) (status.getLen() / CIFAR_RECORD);
            WorkItem.Container container = new WorkItem.Container(false, 0, CIFAR_RECORD, 1, CIFAR_SIDE, CIFAR_SIDE, 3);
            addRanges(items, status, test ? ImageSchema.TEST : ImageSchema.TRAIN, container, records, null);
            inputs += records;
        }
        if (items.isEmpty()) {
            throw new VisionLakeException(
                    "no CIFAR-10 batches under " + root + ": expected data_batch_1.bin ... and test_batch.bin");
        }
        List<String> names = names(fs, new Path(root, "batches.meta.txt"), 10, root);
        return new SourceScan(items, names, inputs, new TreeMap<>(), false, new int[] {CIFAR_SIDE, CIFAR_SIDE, 3});
    }

    private void addRanges(
            List<WorkItem> items,
            FileStatus status,
            String split,
            WorkItem.Container container,
            int records,
            byte[] labels) {
        for (int first = 0; first < records; first += recordsPerItem) {
            int count = Math.min(recordsPerItem, records - first);
            byte[] slice = labels == null ? null : java.util.Arrays.copyOfRange(labels, first, first + count);
            items.add(WorkItem.records(
                    status.getPath().toString(), status.getLen(), split, container, first, count, slice));
        }
    }

    private static List<FileStatus> sortedFiles(FileSystem fs, Path root) throws IOException {
        if (!fs.getFileStatus(root).isDirectory()) {
            throw new VisionLakeException("the source " + root + " is a file; pass the folder that holds the files");
        }
        List<FileStatus> files = new ArrayList<>(List.of(fs.listStatus(root)));
        files.removeIf(FileStatus::isDirectory);
        files.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
        return files;
    }

    private static String idxSplit(String prefix) {
        String p = prefix.toLowerCase(java.util.Locale.ROOT);
        if (p.startsWith("t10k") || p.startsWith("test")) {
            return ImageSchema.TEST;
        }
        String named = FileSourceScanner.splitName(p);
        return named != null ? named : ImageSchema.TRAIN;
    }

    private static Path labelsFileFor(FileSystem fs, Path images, String prefix) throws IOException {
        for (String candidate : new String[] {
            prefix + "-labels-idx1-ubyte.gz", prefix + "-labels-idx1-ubyte", prefix + "-labels.idx1-ubyte"
        }) {
            Path path = new Path(images.getParent(), candidate);
            if (fs.exists(path)) {
                return path;
            }
        }
        throw new VisionLakeException(String.format(
                "IDX image file %s has no label file beside it: expected %s-labels-idx1-ubyte[.gz]", images, prefix));
    }

    private static byte[] readIdxLabels(FileSystem fs, Path path) throws IOException {
        try (DataInputStream in =
                new DataInputStream(open(fs, path, path.getName().endsWith(".gz")))) {
            int magic = in.readInt();
            if (magic != IDX_LABELS_MAGIC) {
                throw new VisionLakeException(String.format(
                        "%s is not an IDX label file: magic number 0x%08x, expected 0x%08x",
                        path, magic, IDX_LABELS_MAGIC));
            }
            byte[] labels = new byte[in.readInt()];
            in.readFully(labels);
            return labels;
        }
    }

    /** {count, rows, cols} from the 16-byte header. */
    private static int[] readIdxImageHeader(FileSystem fs, Path path, boolean gzip) throws IOException {
        try (DataInputStream in = new DataInputStream(open(fs, path, gzip))) {
            int magic = in.readInt();
            if (magic != IDX_IMAGES_MAGIC) {
                throw new VisionLakeException(String.format(
                        "%s is not an IDX image file: magic number 0x%08x, expected 0x%08x (unsigned bytes, 3 dims)",
                        path, magic, IDX_IMAGES_MAGIC));
            }
            return new int[] {in.readInt(), in.readInt(), in.readInt()};
        }
    }

    static InputStream open(FileSystem fs, Path path, boolean gzip) throws IOException {
        InputStream raw = fs.open(path, 1 << 16);
        return gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
    }

    /** User names, else one name per line of {@code namesFile} if the source has it, else the label numbers. */
    private List<String> names(FileSystem fs, Path namesFile, int count, Path root) throws IOException {
        List<String> names = new ArrayList<>();
        if (labelNames != null) {
            names.addAll(labelNames);
        } else if (fs.exists(namesFile)) {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(fs.open(namesFile), StandardCharsets.UTF_8))) {
                in.lines().map(String::trim).filter(line -> !line.isEmpty()).forEach(names::add);
            }
        } else {
            for (int i = 0; i < count; i++) {
                names.add(Integer.toString(i));
            }
        }
        if (names.size() < count || names.stream().distinct().count() != names.size()) {
            throw new VisionLakeException(String.format(
                    "label names %s for %s: expected %d distinct names (labels 0-%d occur); fix --label-names or %s",
                    names, root, count, count - 1, namesFile.getName()));
        }
        return names;
    }

    private static boolean hasVal(List<WorkItem> items) {
        return items.stream().anyMatch(item -> ImageSchema.VAL.equals(item.split()));
    }
}
