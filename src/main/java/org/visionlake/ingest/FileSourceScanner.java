package org.visionlake.ingest;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.RemoteIterator;
import org.visionlake.VisionLakeException;
import org.visionlake.lake.ImageSchema;

/**
 * Lists a folder of image files once, on the driver, with {@link FileSystem#listFiles} (recursive): one call that
 * object stores answer with flat, paged listings. Each file gets its label (class folder or file-name pattern) and
 * the split its folders name; clutter is counted by reason and left out.
 */
final class FileSourceScanner {
    private final SourceFormat format;
    private final Pattern labelPattern;

    FileSourceScanner(SourceFormat format, Pattern labelPattern) {
        this.format = format;
        this.labelPattern = labelPattern;
    }

    private record Listed(String path, long size, String label, String split) {}

    SourceScan scan(FileSystem fs, Path root) throws IOException {
        Map<String, Long> skipped = new TreeMap<>();
        List<Listed> listed = new ArrayList<>();
        String rootPath = root.toUri().getPath().replaceAll("/+$", "");

        RemoteIterator<? extends FileStatus> files = listRecursively(fs, root);
        while (files.hasNext()) {
            FileStatus status = files.next();
            if (!status.isFile()) {
                continue;
            }
            String path = status.getPath().toUri().getPath();
            String relative = path.length() > rootPath.length() ? path.substring(rootPath.length() + 1) : path;
            String[] parts = relative.split("/");
            String reason = clutter(parts);
            Listed item = reason == null ? classify(status, parts) : null;
            if (item == null) {
                skipped.merge(reason == null ? skipReasonFor(parts) : reason, 1L, Long::sum);
            } else {
                listed.add(item);
            }
        }
        listed.sort((a, b) -> a.path().compareTo(b.path()));
        return toScan(listed, skipped, root);
    }

    private SourceScan toScan(List<Listed> listed, Map<String, Long> skipped, Path root) {
        List<String> labels =
                new ArrayList<>(new TreeSet<>(listed.stream().map(Listed::label).toList()));
        if (labels.isEmpty()) {
            throw new VisionLakeException(String.format(
                    "no labelled image files found under %s (format %s, skipped: %s); expected %s",
                    root, format, skipped.isEmpty() ? "nothing" : skipped, expectation()));
        }
        List<WorkItem> items = new ArrayList<>(listed.size());
        boolean hasVal = false;
        for (Listed l : listed) {
            items.add(WorkItem.file(l.path(), l.size(), labels.indexOf(l.label()), l.split()));
            hasVal |= ImageSchema.VAL.equals(l.split());
        }
        return new SourceScan(items, labels, items.size(), skipped, hasVal, null);
    }

    private String expectation() {
        return format == SourceFormat.IMAGEFOLDER
                ? "<root>/[train|val|test/]<class>/<image file>"
                : "file names matching --label-pattern '" + labelPattern + "' (the first group is the class)";
    }

    /** Files that are never input, whatever the format; null for a candidate input. */
    static String clutter(String[] parts) {
        String name = parts[parts.length - 1];
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals(".ds_store")) {
            return "ds_store";
        }
        if (lower.equals("thumbs.db") || lower.equals("ehthumbs.db")) {
            return "thumbs_db";
        }
        if (lower.equals("desktop.ini")) {
            return "desktop_ini";
        }
        if (name.startsWith("._")) {
            return "appledouble_sidecar";
        }
        for (String part : parts) {
            if (part.startsWith(".") || part.startsWith("_")) {
                return "hidden";
            }
        }
        return null;
    }

    /**
     * {@link FileSystem#listFiles} for every file system, except Hadoop's local one: without the native Hadoop
     * library its located statuses fork a shell per file to read permissions (minutes for 60,000 files), while a
     * plain walk of {@link FileSystem#listStatus} reads them lazily, that is never.
     */
    private static RemoteIterator<? extends FileStatus> listRecursively(FileSystem fs, Path root) throws IOException {
        FileSystem raw = fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
        if (!(raw instanceof RawLocalFileSystem)) {
            return fs.listFiles(root, true);
        }
        List<FileStatus> found = new ArrayList<>();
        Deque<Path> folders = new ArrayDeque<>(List.of(root));
        while (!folders.isEmpty()) {
            for (FileStatus status : raw.listStatus(folders.pop())) {
                if (status.isDirectory()) {
                    folders.push(status.getPath());
                } else {
                    found.add(status);
                }
            }
        }
        java.util.Iterator<FileStatus> iterator = found.iterator();
        return new RemoteIterator<>() {
            @Override
            public boolean hasNext() {
                return iterator.hasNext();
            }

            @Override
            public FileStatus next() {
                return iterator.next();
            }
        };
    }

    private Listed classify(FileStatus status, String[] parts) {
        String path = status.getPath().toString();
        String split = splitOf(parts);
        if (format == SourceFormat.IMAGEFOLDER) {
            String parent = parts.length >= 2 ? parts[parts.length - 2] : null;
            if (parent == null || splitName(parent) != null) {
                return null;
            }
            return new Listed(path, status.getLen(), parent, split);
        }
        Matcher m = labelPattern.matcher(parts[parts.length - 1]);
        if (!m.find() || m.groupCount() < 1 || m.group(1) == null || m.group(1).isEmpty()) {
            return null;
        }
        return new Listed(path, status.getLen(), m.group(1), split);
    }

    private String skipReasonFor(String[] parts) {
        return format == SourceFormat.IMAGEFOLDER ? "outside_class_folder" : "no_label_in_name";
    }

    /** The split named by the nearest folder above the file (its class folder excluded for imagefolder). */
    private String splitOf(String[] parts) {
        int last = parts.length - (format == SourceFormat.IMAGEFOLDER ? 3 : 2);
        for (int i = last; i >= 0; i--) {
            String split = splitName(parts[i]);
            if (split != null) {
                return split;
            }
        }
        return null;
    }

    static String splitName(String folder) {
        switch (folder.toLowerCase(Locale.ROOT)) {
            case "train":
            case "training":
                return ImageSchema.TRAIN;
            case "val":
            case "valid":
            case "validation":
                return ImageSchema.VAL;
            case "test":
            case "testing":
                return ImageSchema.TEST;
            default:
                return null;
        }
    }
}
