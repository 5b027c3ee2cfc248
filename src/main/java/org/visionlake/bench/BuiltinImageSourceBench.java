package org.visionlake.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.visionlake.spark.SparkSessions;

/**
 * The other side of {@code scripts/bench-ingest.sh}: Spark's built-in {@code image} data source reading a folder
 * of image files and writing them as Parquet, timed like VisionLake's ingest (listing, decoding and writing, after
 * the Spark session is up). Usage: {@code BuiltinImageSourceBench SOURCE_DIR OUTPUT_DIR}; prints one line
 * {@code builtin images=N seconds=S rate=R}.
 */
public final class BuiltinImageSourceBench {
    private BuiltinImageSourceBench() {}

    public static void main(String[] args) {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: BuiltinImageSourceBench SOURCE_DIR OUTPUT_DIR");
        }
        SparkSession spark = SparkSessions.getOrCreate("builtin image source bench", null);
        long started = System.nanoTime();
        Dataset<Row> images = spark.read()
                .format("image")
                .option("dropInvalid", true)
                .option("recursiveFileLookup", true)
                .load(args[0]);
        images.write().mode(SaveMode.Overwrite).parquet(args[1]);
        long count = spark.read().parquet(args[1]).count();
        double seconds = (System.nanoTime() - started) / 1e9;
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.printf("builtin images=%d seconds=%.2f rate=%.1f%n", count, seconds, count / seconds);
        spark.stop();
    }
}
