package org.visionlake.ingest;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.visionlake.VisionLakeException;
import org.visionlake.lake.ImageSchema;
import org.visionlake.lake.Sha256;

/**
 * The executor side of ingest: reads each work item through Hadoop's {@link FileSystem}, hashes the source bytes,
 * decodes and emits {@link ImageSchema} rows lazily. Bad inputs go to the quarantine accumulator and the task goes
 * on; only a damaged container (records missing from an IDX or CIFAR file) fails the job, because then the source
 * itself cannot be trusted.
 */
final class DecodeTask implements FlatMapFunction<Iterator<WorkItem>, Row>, Serializable {
    private static final long serialVersionUID = 1L;
    private static final HexFormat HEX = HexFormat.of();

    private final SerializableConf conf;
    private final Preprocessing preprocessing;
    private final List<String> labels;
    private final SplitAssigner splits;
    private final long maxFileBytes;
    private final CollectionAccumulator<QuarantineRecord> quarantine;
    private final LongAccumulator done;

    DecodeTask(
            SerializableConf conf,
            Preprocessing preprocessing,
            List<String> labels,
            SplitAssigner splits,
            long maxFileBytes,
            CollectionAccumulator<QuarantineRecord> quarantine,
            LongAccumulator done) {
        this.conf = conf;
        this.preprocessing = preprocessing;
        this.labels = List.copyOf(labels);
        this.splits = splits;
        this.maxFileBytes = maxFileBytes;
        this.quarantine = quarantine;
        this.done = done;
    }

    @Override
    public Iterator<Row> call(Iterator<WorkItem> items) {
        return new Rows(items);
    }

    /** Pulls items until one yields a row, so a partition's rows are never all in memory at once. */
    private final class Rows implements Iterator<Row> {
        private final Iterator<WorkItem> items;
        private final ImageDecoder decoder = new ImageDecoder(preprocessing);
        private final MessageDigest sha256 = Sha256.digest();
        private final Deque<Row> pending = new ArrayDeque<>();

        Rows(Iterator<WorkItem> items) {
            this.items = items;
        }

        @Override
        public boolean hasNext() {
            while (pending.isEmpty() && items.hasNext()) {
                WorkItem item = items.next();
                if (item.container() == null) {
                    file(item);
                } else {
                    records(item);
                }
            }
            return !pending.isEmpty();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return pending.poll();
        }

        private void file(WorkItem item) {
            done.add(1);
            byte[] bytes;
            try {
                bytes = readFile(item);
            } catch (Rejected e) {
                quarantine(item.path(), item.sizeBytes(), e);
                return;
            }
            String hash = HEX.formatHex(sha256.digest(bytes));
            try {
                byte[] pixels = decoder.decode(bytes);
                pending.add(row(hash, item.path(), item.label(), item.split(), pixels));
            } catch (Rejected e) {
                quarantine(item.path(), item.sizeBytes(), e);
            }
        }

        private void records(WorkItem item) {
            WorkItem.Container c = item.container();
            byte[] block = readRecords(item);
            int pixelBytes = c.recordBytes - c.labelBytes;
            for (int i = 0; i < item.count(); i++) {
                int offset = i * c.recordBytes;
                int label = c.labelBytes > 0 ? block[offset] & 0xFF : item.labels()[i] & 0xFF;
                String path = item.path() + "#" + (item.first() + i);
                sha256.update(block, offset + c.labelBytes, pixelBytes);
                String hash = HEX.formatHex(sha256.digest());
                if (label >= labels.size()) {
                    quarantine(
                            path,
                            c.recordBytes,
                            new Rejected(
                                    QuarantineReason.UNDECODABLE,
                                    String.format(
                                            "label %d has no name: the source names %d labels", label, labels.size())));
                    continue;
                }
                byte[] pixels = c.channels == 1
                        ? decoder.fromGrey(
                                java.util.Arrays.copyOfRange(block, offset, offset + pixelBytes), c.height, c.width)
                        : decoder.fromPlanarRgb(block, offset + c.labelBytes, c.height, c.width);
                pending.add(row(hash, path, label, item.split(), pixels));
            }
            done.add(item.count());
        }

        private Row row(String hash, String path, int label, String sourceSplit, byte[] pixels) {
            return RowFactory.create(
                    hash.substring(0, 16),
                    hash,
                    path,
                    label,
                    labels.get(label),
                    splits.assign(sourceSplit, hash),
                    preprocessing.height(),
                    preprocessing.width(),
                    preprocessing.channels(),
                    pixels);
        }

        private void quarantine(String path, long size, Rejected e) {
            quarantine.add(new QuarantineRecord(path, e.reason().code(), size, e.getMessage()));
        }
    }

    private byte[] readFile(WorkItem item) throws Rejected {
        if (item.sizeBytes() == 0) {
            throw new Rejected(QuarantineReason.EMPTY_FILE, "the file has 0 bytes");
        }
        if (item.sizeBytes() > maxFileBytes) {
            throw new Rejected(
                    QuarantineReason.TOO_LARGE,
                    String.format(
                            "%d bytes is over the limit of %d bytes per file (--max-file-bytes)",
                            item.sizeBytes(), maxFileBytes));
        }
        Path path = new Path(item.path());
        try (FSDataInputStream in = fileSystem(path).open(path)) {
            byte[] bytes = new byte[(int) item.sizeBytes()];
            in.readFully(0, bytes);
            return bytes;
        } catch (EOFException e) {
            throw new Rejected(QuarantineReason.UNREADABLE, "the file shrank after listing: " + e.getMessage());
        } catch (IOException e) {
            throw new Rejected(QuarantineReason.UNREADABLE, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private byte[] readRecords(WorkItem item) {
        WorkItem.Container c = item.container();
        Path path = new Path(item.path());
        long start = c.headerBytes + (long) item.first() * c.recordBytes;
        byte[] block = new byte[item.count() * c.recordBytes];
        try (InputStream in = ContainerScanner.open(fileSystem(path), path, c.gzip)) {
            if (!c.gzip && in instanceof FSDataInputStream seekable) {
                seekable.seek(start);
            } else {
                in.skipNBytes(start);
            }
            new DataInputStream(in).readFully(block);
            return block;
        } catch (EOFException e) {
            throw new VisionLakeException(
                    String.format(
                            "%s ends before record %d of the %d its header declares: the file is truncated; restore it"
                                    + " from the original download",
                            item.path(), item.first() + item.count(), item.first() + item.count()),
                    e);
        } catch (IOException e) {
            throw new VisionLakeException("cannot read records of " + item.path() + ": " + e.getMessage(), e);
        }
    }

    /** Hadoop's local file system verifies .crc side files on every open; the raw one skips that per-file cost. */
    private FileSystem fileSystem(Path path) throws IOException {
        FileSystem fs = path.getFileSystem(conf.get());
        return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    }
}
