package org.visionlake.augment;

import java.io.Serializable;
import org.visionlake.VisionLakeException;
import org.visionlake.lake.LakeNames;

/**
 * What one augment job does, checked as a whole before any Spark work starts.
 *
 * @param source dataset to read
 * @param split the split to augment; the other splits are carried over unchanged
 * @param name dataset to write
 * @param copies augmented copies per source image
 * @param seed fixes every random draw together with the image id and copy index
 * @param includeOriginal also keep each source image unchanged, as copy 0
 * @param partitions repartition the split into this many tasks first; 0 keeps the partitioning of the read. The
 *     output rows are the same for any value.
 * @param pipeline the transforms and their settings
 */
public record AugmentSettings(
        String source,
        String split,
        String name,
        int copies,
        long seed,
        boolean includeOriginal,
        int partitions,
        AugmentPipeline pipeline)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** More copies than this is surely a typo, and would multiply the dataset beyond what the lake is sized for. */
    public static final int MAX_COPIES = 1000;

    public AugmentSettings {
        LakeNames.requireValid("source dataset", source);
        LakeNames.requireValid("split", split);
        LakeNames.requireValid("dataset", name);
        if (source.equals(name)) {
            throw new VisionLakeException(String.format(
                    "--name '%s' is the source dataset itself; the augmented dataset needs a name of its own,"
                            + " e.g. '%s-aug'",
                    name, source));
        }
        if (copies < 1 || copies > MAX_COPIES) {
            throw new VisionLakeException(String.format(
                    "--copies must be between 1 and %d, found %d; pass e.g. --copies 2", MAX_COPIES, copies));
        }
        if (partitions < 0) {
            throw new VisionLakeException(
                    "--partitions must be 0 (keep the read's partitioning) or more, found " + partitions);
        }
    }

    /** Images written per source image of the augmented split. */
    public int outputsPerImage() {
        return copies + (includeOriginal ? 1 : 0);
    }
}
