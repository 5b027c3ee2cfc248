package org.visionlake.ingest;

import java.util.Locale;
import org.visionlake.VisionLakeException;

/** How labels (and splits) are found in a source folder. */
public enum SourceFormat {
    /** One folder per class: {@code <root>/[train|val|test/]<class>/<file>}. */
    IMAGEFOLDER("imagefolder"),
    /** Class from a regular expression on the file name, e.g. {@code cat.123.jpg}. */
    FILENAME("filename"),
    /** MNIST-style IDX image and label file pairs, gzip or not. */
    IDX("idx"),
    /** The CIFAR-10 binary release: {@code data_batch_N.bin} and {@code test_batch.bin}. */
    CIFAR10_BINARY("cifar10-binary");

    private final String cliName;

    SourceFormat(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** Container formats hold many images per file; their records are addressed as {@code file#index}. */
    public boolean isContainer() {
        return this == IDX || this == CIFAR10_BINARY;
    }

    public static SourceFormat parse(String text) {
        for (SourceFormat format : values()) {
            if (format.cliName.equalsIgnoreCase(text) || format.name().equalsIgnoreCase(text)) {
                return format;
            }
        }
        throw new VisionLakeException(String.format(
                "unknown input format '%s': expected one of imagefolder, filename, idx, cifar10-binary",
                text == null ? "" : text.toLowerCase(Locale.ROOT)));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
