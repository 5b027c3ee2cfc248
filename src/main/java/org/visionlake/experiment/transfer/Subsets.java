package org.visionlake.experiment.transfer;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.visionlake.VisionLakeException;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.lake.ImageSchema;

/**
 * Deterministic, class-balanced subsets of a split, drawn by a seeded hash of the image id: the same seed gives the
 * same images on every run and every partitioning, and a smaller subset is contained in a larger one (both take the
 * lowest hashes of each class), so the training sizes of one experiment are nested.
 */
public final class Subsets {
    /** Share of the training split held out for validation when a dataset has no {@code val} split. */
    static final int HOLDOUT_BUCKETS = 10;

    private final long seed;

    public Subsets(long seed) {
        this.seed = seed;
    }

    /** The training rows available for subsets: the train split minus the validation hold-out when there is one. */
    public Dataset<Row> trainPool(Dataset<Row> all, DatasetManifest manifest) {
        Dataset<Row> train = all.where(col(ImageSchema.SPLIT).equalTo(ImageSchema.TRAIN));
        return hasVal(manifest) ? train : train.where(bucket().notEqual(0));
    }

    /** The validation rows: the {@code val} split, else one tenth of train (by hash, disjoint from the pool). */
    public Dataset<Row> validation(Dataset<Row> all, DatasetManifest manifest) {
        if (hasVal(manifest)) {
            return all.where(col(ImageSchema.SPLIT).equalTo(ImageSchema.VAL));
        }
        return all.where(col(ImageSchema.SPLIT).equalTo(ImageSchema.TRAIN)).where(bucket().equalTo(0));
    }

    /**
     * {@code size} rows of {@code rows}, as even across the {@code numClasses} labels as possible; 0 or less keeps
     * every row. Fails when a class has fewer rows than its share.
     */
    public Dataset<Row> balanced(Dataset<Row> rows, int size, int numClasses, String what) {
        if (size <= 0) {
            return rows;
        }
        int perClass = size / numClasses;
        int remainder = size % numClasses;
        Dataset<Row> ranked = rows.withColumn(
                "_rank",
                row_number()
                        .over(Window.partitionBy(ImageSchema.LABEL)
                                .orderBy(xxhash64(col(ImageSchema.ID), lit(seed)), col(ImageSchema.ID))));
        // The first `remainder` labels take one image more, so the subset has exactly `size` rows.
        Dataset<Row> chosen = ranked.where(col("_rank")
                        .leq(lit(perClass)
                                .plus(col(ImageSchema.LABEL).lt(remainder).cast("int"))))
                .drop("_rank");
        long found = chosen.count();
        if (found != size) {
            throw new VisionLakeException(String.format(
                    "cannot draw %d class-balanced images for %s: only %d available at %d per class;"
                            + " ingest more images or choose a smaller size",
                    size, what, found, perClass + (remainder > 0 ? 1 : 0)));
        }
        return chosen;
    }

    /** At most {@code limit} rows, class-balanced when there are more (0 or less keeps every row): for eval sets. */
    public Dataset<Row> atMost(Dataset<Row> rows, int limit, int numClasses, String what) {
        if (limit <= 0 || rows.count() <= limit) {
            return rows;
        }
        return balanced(rows, limit, numClasses, what);
    }

    private static boolean hasVal(DatasetManifest manifest) {
        Map<String, Long> val = manifest.counts().get(ImageSchema.VAL);
        return val != null && !val.isEmpty() && manifest.total(ImageSchema.VAL) > 0;
    }

    private org.apache.spark.sql.Column bucket() {
        return pmod(xxhash64(col(ImageSchema.ID), lit(seed ^ 0x5DEECE66DL)), lit(HOLDOUT_BUCKETS));
    }
}
