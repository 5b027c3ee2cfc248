package org.visionlake.ingest;

import java.io.Serializable;

/**
 * One unit of input a task decodes: a whole image file, or a range of records inside a container file (IDX,
 * CIFAR-10 binary). Built on the driver from the listing, so tasks never list anything. A plain class rather than a
 * record: Spark ships parallelized collections with Kryo, which cannot build records.
 */
final class WorkItem implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * How records sit in a container file: {@code headerBytes} before the first one, {@code recordBytes} each,
     * {@code labelBytes} of them a leading label (CIFAR), pixels {@code height x width x channels} (planar RGB).
     */
    static final class Container implements Serializable {
        private static final long serialVersionUID = 1L;

        final boolean gzip;
        final long headerBytes;
        final int recordBytes;
        final int labelBytes;
        final int height;
        final int width;
        final int channels;

        Container(
                boolean gzip, long headerBytes, int recordBytes, int labelBytes, int height, int width, int channels) {
            this.gzip = gzip;
            this.headerBytes = headerBytes;
            this.recordBytes = recordBytes;
            this.labelBytes = labelBytes;
            this.height = height;
            this.width = width;
            this.channels = channels;
        }
    }

    private final String path;
    private final long sizeBytes;
    private final int label;
    private final String split;
    private final Container container;
    private final int first;
    private final int count;
    private final byte[] labels;

    /**
     * @param path the file's fully qualified URI
     * @param sizeBytes file size from the listing
     * @param label label index for files (-1 for containers, whose records carry their own labels)
     * @param split split given by the source layout, or null when the source has none
     * @param container null for image files; otherwise how the records are laid out
     * @param first index of the first record of the range
     * @param count records in the range
     * @param labels per-record labels of the range for IDX (null for CIFAR, whose records hold their label)
     */
    private WorkItem(
            String path,
            long sizeBytes,
            int label,
            String split,
            Container container,
            int first,
            int count,
            byte[] labels) {
        this.path = path;
        this.sizeBytes = sizeBytes;
        this.label = label;
        this.split = split;
        this.container = container;
        this.first = first;
        this.count = count;
        this.labels = labels;
    }

    static WorkItem file(String path, long sizeBytes, int label, String split) {
        return new WorkItem(path, sizeBytes, label, split, null, 0, 1, null);
    }

    static WorkItem records(
            String path, long sizeBytes, String split, Container container, int first, int count, byte[] labels) {
        return new WorkItem(path, sizeBytes, -1, split, container, first, count, labels);
    }

    String path() {
        return path;
    }

    long sizeBytes() {
        return sizeBytes;
    }

    int label() {
        return label;
    }

    String split() {
        return split;
    }

    Container container() {
        return container;
    }

    int first() {
        return first;
    }

    int count() {
        return count;
    }

    byte[] labels() {
        return labels;
    }
}
