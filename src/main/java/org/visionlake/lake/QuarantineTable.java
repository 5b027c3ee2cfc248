package org.visionlake.lake;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Parquet schema of a dataset's quarantine table ({@link Lake#quarantinePath}): one row per input that did not
 * become an image, published together with the dataset so that nothing a job read disappears silently.
 *
 * <pre>
 * source_path  string  the input (URI, or URI#record)
 * reason       string  empty_file | truncated | undecodable | not_an_image | too_many_pixels | too_large | unreadable
 * size_bytes   long    size of the input
 * detail       string  what the decoder found, for a person to act on
 * </pre>
 */
public final class QuarantineTable {
    public static final String SOURCE_PATH = "source_path";
    public static final String REASON = "reason";
    public static final String SIZE_BYTES = "size_bytes";
    public static final String DETAIL = "detail";

    private QuarantineTable() {}

    public static StructType schema() {
        return new StructType(new StructField[] {
            new StructField(SOURCE_PATH, DataTypes.StringType, false, Metadata.empty()),
            new StructField(REASON, DataTypes.StringType, false, Metadata.empty()),
            new StructField(SIZE_BYTES, DataTypes.LongType, false, Metadata.empty()),
            new StructField(DETAIL, DataTypes.StringType, false, Metadata.empty())
        });
    }
}
