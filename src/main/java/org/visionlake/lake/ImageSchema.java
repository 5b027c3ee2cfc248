package org.visionlake.lake;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Parquet schema of an image dataset in the lake. Pixels are stored row-major as height x width x channels
 * unsigned bytes (HWC, RGB or grey), the layout that decoders produce and that is cheapest to convert to NCHW.
 *
 * <pre>
 * id            string   stable image id: the first 16 hex digits of content_hash (plus "-cK" for augmented copies)
 * content_hash  string   SHA-256 of the source file bytes (or source record), hex
 * source_path   string   where the image came from (URI, or URI#record for container formats)
 * label         int      index into the manifest's label list
 * label_name    string   the label's name
 * split         string   train | val | test (the Parquet partition column)
 * height, width, channels  int
 * pixels        binary   height*width*channels bytes
 * </pre>
 *
 * Datasets of kind {@code augmented} carry three lineage columns after these ({@code source_id}, {@code copy},
 * {@code transform}; see {@link org.visionlake.augment.AugmentedColumns}); readers that pass {@link #schema()} never
 * see them.
 */
public final class ImageSchema {
    /** Bumped whenever the columns or their meaning change. */
    public static final int VERSION = 1;

    public static final String ID = "id";
    public static final String CONTENT_HASH = "content_hash";
    public static final String SOURCE_PATH = "source_path";
    public static final String LABEL = "label";
    public static final String LABEL_NAME = "label_name";
    public static final String SPLIT = "split";
    public static final String HEIGHT = "height";
    public static final String WIDTH = "width";
    public static final String CHANNELS = "channels";
    public static final String PIXELS = "pixels";

    public static final String TRAIN = "train";
    public static final String VAL = "val";
    public static final String TEST = "test";

    private ImageSchema() {}

    /** The dataset schema; {@code labelMetadata} rides on the label column and so lands in the Parquet footer. */
    public static StructType schema(Metadata labelMetadata) {
        return new StructType(new StructField[] {
            new StructField(ID, DataTypes.StringType, false, Metadata.empty()),
            new StructField(CONTENT_HASH, DataTypes.StringType, false, Metadata.empty()),
            new StructField(SOURCE_PATH, DataTypes.StringType, false, Metadata.empty()),
            new StructField(LABEL, DataTypes.IntegerType, false, labelMetadata),
            new StructField(LABEL_NAME, DataTypes.StringType, false, Metadata.empty()),
            new StructField(SPLIT, DataTypes.StringType, false, Metadata.empty()),
            new StructField(HEIGHT, DataTypes.IntegerType, false, Metadata.empty()),
            new StructField(WIDTH, DataTypes.IntegerType, false, Metadata.empty()),
            new StructField(CHANNELS, DataTypes.IntegerType, false, Metadata.empty()),
            new StructField(PIXELS, DataTypes.BinaryType, false, Metadata.empty())
        });
    }

    public static StructType schema() {
        return schema(Metadata.empty());
    }
}
