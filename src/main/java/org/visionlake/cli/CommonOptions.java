package org.visionlake.cli;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.visionlake.lake.Lake;
import org.visionlake.spark.SparkSessions;
import picocli.CommandLine.Option;

/** Options every command takes: where the lake is, which Spark master, and whether to print JSON. */
public final class CommonOptions {
    @Option(
            names = "--lake",
            paramLabel = "URI",
            description = "Lake root: a local path or any Hadoop file-system URI (default: ${DEFAULT-VALUE}).",
            defaultValue = "${sys:visionlake.home:-.}/data-lake")
    String lake;

    @Option(
            names = "--master",
            paramLabel = "URL",
            description = "Spark master; default: what spark-submit set, else " + SparkSessions.DEFAULT_MASTER + ".")
    String master;

    @Option(names = "--json", description = "Print a machine-readable JSON summary on stdout.")
    boolean json;

    public SparkSession spark(String appName) {
        return SparkSessions.getOrCreate("visionlake " + appName, master);
    }

    /** The lake, on the Hadoop configuration of {@code spark} so that cluster file-system settings apply. */
    public Lake lake(SparkSession spark) {
        return Lake.open(lake, spark.sparkContext().hadoopConfiguration());
    }

    /** The lake without a Spark session, for commands that only read manifests. */
    public Lake lakeWithoutSpark() {
        return Lake.open(lake, new Configuration());
    }

    public boolean json() {
        return json;
    }
}
