package org.visionlake.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.visionlake.nativecpu.NativeBackendPlugin;

/**
 * Builds the Spark session of a VisionLake command. Under spark-submit the cluster's settings win (the session
 * only fills in what is missing); in local mode the launcher's settings mirror {@code spark-conf/spark-defaults.conf}.
 */
public final class SparkSessions {
    /** The master used when neither {@code --master} nor spark-submit names one. */
    public static final String DEFAULT_MASTER = "local[2]";

    private SparkSessions() {}

    public static SparkSession getOrCreate(String appName, String master) {
        SparkConf conf = new SparkConf(true).setAppName(appName);
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster(DEFAULT_MASTER);
        }
        setIfMissing(conf, "spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        setIfMissing(conf, "spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator");
        setIfMissing(conf, "spark.kryoserializer.buffer.max", "512m");
        setIfMissing(conf, "spark.sql.shuffle.partitions", "8");
        setIfMissing(conf, "spark.sql.parquet.compression.codec", "snappy");
        setIfMissing(conf, "spark.ui.enabled", "false");
        addPlugin(conf, NativeBackendPlugin.class.getName());
        setIfMissing(conf, "spark.driver.host", "127.0.0.1");
        setIfMissing(conf, "spark.driver.bindAddress", "127.0.0.1");
        // Spark's own success marker is replaced by the lake's manifest; it would only be noise in every folder.
        setIfMissing(conf, "spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs", "false");
        setIfMissing(conf, "spark.hadoop.parquet.summary.metadata.level", "NONE");
        return SparkSession.builder().config(conf).getOrCreate();
    }

    /** Adds a Spark plugin to {@code spark.plugins}, keeping plugins the cluster configuration already names. */
    private static void addPlugin(SparkConf conf, String plugin) {
        String plugins = conf.get("spark.plugins", "");
        if (!java.util.Arrays.asList(plugins.split(",")).contains(plugin)) {
            conf.set("spark.plugins", plugins.isEmpty() ? plugin : plugins + "," + plugin);
        }
    }

    private static void setIfMissing(SparkConf conf, String key, String value) {
        if (!conf.contains(key)) {
            conf.set(key, value);
        }
    }
}
