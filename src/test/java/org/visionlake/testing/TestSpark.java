package org.visionlake.testing;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.spark.sql.SparkSession;
import org.visionlake.spark.SparkSessions;

/**
 * One real Spark session in {@code local[2]} for the whole test JVM: starting Spark costs seconds, and every test
 * class that needs it shares this one, exactly as the CLI builds it.
 */
public final class TestSpark {
    private static SparkSession session;

    private TestSpark() {}

    public static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSessions.getOrCreate("visionlake-tests", "local[2]");
        }
        return session;
    }

    /** {@code ../shared/datasets} beside the project, where the real datasets are. */
    public static Path sharedDatasets() {
        return Paths.get(System.getProperty("visionlake.shared", "../shared")).resolve("datasets");
    }
}
