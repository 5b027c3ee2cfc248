package org.visionlake.augment;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.visionlake.lake.ImageSchema;

/**
 * The lineage columns that rows of an {@code augmented} dataset carry after the {@link ImageSchema} columns. The
 * image columns keep their names, types and order, so a reader with {@link ImageSchema#schema()} reads augmented
 * datasets as any other and never sees these.
 *
 * <pre>
 * source_id   string   id of the source image the row was made from
 * copy        int      copy index: 1..copies for augmented copies, 0 for an unchanged image (the original kept by
 *                      --include-original, or any row of a split that is carried over)
 * transform   string   JSON list of the steps applied, in order, with the parameters drawn for this row, e.g.
 *                      [{"op":"crop","padding":4,"top":6,"left":1},{"op":"flip"}]; [] when unchanged
 * </pre>
 *
 * The row's {@code id} is {@code <source_id>-c<copy>} in the augmented split and the source id unchanged in carried
 * splits; {@code content_hash} and {@code source_path} stay those of the source file.
 */
public final class AugmentedColumns {
    public static final String SOURCE_ID = "source_id";
    public static final String COPY = "copy";
    public static final String TRANSFORM = "transform";

    private AugmentedColumns() {}

    public static StructType schema(Metadata labelMetadata) {
        List<StructField> fields =
                new ArrayList<>(List.of(ImageSchema.schema(labelMetadata).fields()));
        fields.add(new StructField(SOURCE_ID, DataTypes.StringType, false, Metadata.empty()));
        fields.add(new StructField(COPY, DataTypes.IntegerType, false, Metadata.empty()));
        fields.add(new StructField(TRANSFORM, DataTypes.StringType, false, Metadata.empty()));
        return new StructType(fields.toArray(StructField[]::new));
    }

    /** The id of copy {@code copy} of image {@code sourceId}. */
    public static String copyId(String sourceId, int copy) {
        return sourceId + "-c" + copy;
    }
}
