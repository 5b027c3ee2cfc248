package org.visionlake.ingest;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.visionlake.VisionLakeException;
import org.visionlake.lake.LakeNames;

/**
 * Everything one ingest needs, validated once. Height, width and channels of 0 mean "from the source": the native
 * size of container records, or the first image in path order.
 */
public record IngestSettings(
        String source,
        String name,
        SourceFormat format,
        Pattern labelPattern,
        List<String> labelNames,
        int height,
        int width,
        int channels,
        ResizePolicy resize,
        int background,
        long maxPixels,
        long maxFileBytes,
        double valFraction,
        double testFraction,
        int partitionsPerCore) {

    public static final String DEFAULT_LABEL_PATTERN = "^([^.]+)\\.";
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;
    public static final long DEFAULT_MAX_FILE_BYTES = 256L << 20;

    public IngestSettings {
        LakeNames.requireValid("dataset", name);
        if (source == null || source.isBlank()) {
            throw new VisionLakeException("no source given: pass the folder (local path or Hadoop URI) to ingest");
        }
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new VisionLakeException("invalid --val-fraction " + valFraction + ": expected 0 <= f < 1");
        }
        if (!(testFraction >= 0 && valFraction + testFraction < 1)) {
            throw new VisionLakeException(String.format(
                    "invalid --test-fraction %s: expected 0 <= f and --val-fraction + --test-fraction < 1"
                            + " (val %s), so that some images stay in train",
                    testFraction, valFraction));
        }
        if (partitionsPerCore < 1) {
            throw new VisionLakeException("invalid partitions per core " + partitionsPerCore + ": expected >= 1");
        }
        labelNames = labelNames == null ? null : List.copyOf(labelNames);
    }

    public static Builder builder(String source, String name) {
        return new Builder(source, name);
    }

    /** Fills the "from the source" sizes; every other setting stays. */
    IngestSettings withShape(int h, int w, int c) {
        return new IngestSettings(
                source,
                name,
                format,
                labelPattern,
                labelNames,
                h,
                w,
                c,
                resize,
                background,
                maxPixels,
                maxFileBytes,
                valFraction,
                testFraction,
                partitionsPerCore);
    }

    Preprocessing preprocessing() {
        return new Preprocessing(height, width, channels, resize, background, maxPixels);
    }

    /** Optional settings with their defaults; {@link #build} validates the whole set. */
    public static final class Builder {
        private final String source;
        private final String name;
        private SourceFormat format = SourceFormat.IMAGEFOLDER;
        private String labelPattern = DEFAULT_LABEL_PATTERN;
        private List<String> labelNames;
        private int height;
        private int width;
        private int channels;
        private ResizePolicy resize = ResizePolicy.CROP;
        private int background = 0xFFFFFF;
        private long maxPixels = DEFAULT_MAX_PIXELS;
        private long maxFileBytes = DEFAULT_MAX_FILE_BYTES;
        private double valFraction = 0.1;
        private double testFraction = 0;
        private int partitionsPerCore = 4;

        private Builder(String source, String name) {
            this.source = source;
            this.name = name;
        }

        public Builder format(SourceFormat value) {
            format = value;
            return this;
        }

        public Builder labelPattern(String value) {
            labelPattern = value;
            return this;
        }

        public Builder labelNames(List<String> value) {
            labelNames = value;
            return this;
        }

        public Builder size(int h, int w) {
            height = h;
            width = w;
            return this;
        }

        public Builder channels(int value) {
            channels = value;
            return this;
        }

        public Builder resize(ResizePolicy value) {
            resize = value;
            return this;
        }

        public Builder background(int rgb) {
            background = rgb;
            return this;
        }

        public Builder maxPixels(long value) {
            maxPixels = value;
            return this;
        }

        public Builder maxFileBytes(long value) {
            maxFileBytes = value;
            return this;
        }

        public Builder valFraction(double value) {
            valFraction = value;
            return this;
        }

        public Builder testFraction(double value) {
            testFraction = value;
            return this;
        }

        public Builder partitionsPerCore(int value) {
            partitionsPerCore = value;
            return this;
        }

        public IngestSettings build() {
            Pattern pattern;
            try {
                pattern = Pattern.compile(labelPattern);
            } catch (PatternSyntaxException e) {
                throw new VisionLakeException("invalid --label-pattern '" + labelPattern + "': " + e.getMessage(), e);
            }
            if (format == SourceFormat.FILENAME && pattern.matcher("").groupCount() < 1) {
                throw new VisionLakeException("--label-pattern '" + labelPattern
                        + "' has no group: the first group (...) of the pattern is the class, e.g. ^([^.]+)\\.");
            }
            if (labelNames != null && !format.isContainer()) {
                throw new VisionLakeException("--label-names applies to idx and cifar10-binary sources only; "
                        + format + " takes its names from the "
                        + (format == SourceFormat.FILENAME ? "file names" : "class folders"));
            }
            return new IngestSettings(
                    source,
                    name,
                    format,
                    pattern,
                    labelNames,
                    height,
                    width,
                    channels,
                    resize,
                    background,
                    maxPixels,
                    maxFileBytes,
                    valFraction,
                    testFraction,
                    partitionsPerCore);
        }
    }
}
