package org.visionlake.lake;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visionlake.VisionLakeException;

/**
 * The root of a VisionLake data lake on any Hadoop file system, and the one place that turns names into paths.
 *
 * <p>Zones: {@code datasets/}, {@code quarantine/}, {@code runs/}, {@code models/}, {@code features/} and
 * {@code _staging/}. Jobs write into a staging folder and {@link #publish publish} it with a rename, so readers never
 * see a half-written dataset, model or run.
 */
public final class Lake {
    public static final String MANIFEST = "_visionlake.json";
    private static final Logger LOG = LoggerFactory.getLogger(Lake.class);

    private final Path root;
    private final Configuration hadoopConf;

    private Lake(Path root, Configuration hadoopConf) {
        this.root = root;
        this.hadoopConf = hadoopConf;
    }

    /** Opens (and creates if needed) the lake at {@code uri}: a local path or any Hadoop file-system URI. */
    public static Lake open(String uri, Configuration hadoopConf) {
        Path root = new Path(uri);
        try {
            FileSystem fs = root.getFileSystem(hadoopConf);
            Path qualified = fs.makeQualified(root);
            fs.mkdirs(qualified);
            return new Lake(qualified, hadoopConf);
        } catch (IOException e) {
            throw new VisionLakeException(
                    "cannot open the lake at '" + uri + "': " + e.getMessage()
                            + "; check that the path is writable or pass another --lake",
                    e);
        }
    }

    public Path root() {
        return root;
    }

    public Configuration hadoopConf() {
        return hadoopConf;
    }

    public FileSystem fs() {
        try {
            return root.getFileSystem(hadoopConf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the file system of lake " + root, e);
        }
    }

    public Path datasetPath(String name) {
        return new Path(root, "datasets/" + LakeNames.requireValid("dataset", name));
    }

    public Path quarantinePath(String name) {
        return new Path(root, "quarantine/" + LakeNames.requireValid("dataset", name));
    }

    public Path runPath(String runId) {
        return new Path(root, "runs/" + LakeNames.requireValid("run", runId));
    }

    public Path modelPath(String name) {
        return new Path(root, "models/" + LakeNames.requireValid("model", name));
    }

    public Path featuresPath(String key) {
        return new Path(root, "features/" + LakeNames.requireValid("feature cache", key));
    }

    /** A fresh, empty folder under {@code _staging/} for a job to write into before it publishes. */
    public Path newStagingPath(String purpose) {
        Path staging =
                new Path(root, "_staging/" + LakeNames.requireValid("staging", purpose) + "-" + UUID.randomUUID());
        mkdirs(staging);
        return staging;
    }

    /**
     * Moves a completed staging folder to {@code target}, replacing what was there. The old version is renamed
     * aside first and deleted only after the new one is in place, so at every moment the target is either the old
     * complete version, the new complete version, or briefly absent; never a mix.
     */
    public void publish(Path staged, Path target) {
        FileSystem fs = fs();
        try {
            fs.mkdirs(target.getParent());
            Path retired = null;
            if (fs.exists(target)) {
                retired = new Path(root, "_staging/retired-" + UUID.randomUUID());
                rename(fs, target, retired);
            }
            rename(fs, staged, target);
            if (retired != null) {
                fs.delete(retired, true);
            }
            LOG.debug("published {} -> {}", staged, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish " + staged + " to " + target, e);
        }
    }

    public void deleteQuietly(Path path) {
        try {
            fs().delete(path, true);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", path, e.getMessage());
        }
    }

    public boolean exists(Path path) {
        try {
            return fs().exists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + path, e);
        }
    }

    /** Names of the entries of a zone folder that hold a manifest file named {@code marker}, sorted. */
    public List<String> listComplete(String zone, String marker) {
        Path zonePath = new Path(root, zone);
        List<String> names = new ArrayList<>();
        try {
            FileSystem fs = fs();
            if (!fs.exists(zonePath)) {
                return names;
            }
            for (FileStatus status : fs.listStatus(zonePath)) {
                if (status.isDirectory() && fs.exists(new Path(status.getPath(), marker))) {
                    names.add(status.getPath().getName());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + zonePath, e);
        }
        names.sort(String::compareTo);
        return names;
    }

    public void writeText(Path file, String text) {
        try (OutputStream out = fs().create(file, true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public String readText(Path file) {
        try (InputStream in = fs().open(file)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return bytes.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Writes {@code text} next to {@code file} and renames it into place, so a reader sees the old or new file. */
    public void writeTextAtomically(Path file, String text) {
        Path temporary = new Path(file.getParent(), "." + file.getName() + "." + UUID.randomUUID() + ".tmp");
        writeText(temporary, text);
        FileSystem fs = fs();
        try {
            if (fs.exists(file)) {
                fs.delete(file, false);
            }
            rename(fs, temporary, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace " + file, e);
        }
    }

    private void mkdirs(Path path) {
        try {
            fs().mkdirs(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + path, e);
        }
    }

    private static void rename(FileSystem fs, Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw new IOException("rename of " + from + " to " + to + " was refused by " + fs.getUri());
        }
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
