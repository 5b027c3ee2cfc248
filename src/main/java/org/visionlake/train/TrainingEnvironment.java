package org.visionlake.train;

import org.apache.spark.SparkConf;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visionlake.VisionLakeException;

/** Checks and settings of the Spark and ND4J environment, done on the driver before any training job starts. */
public final class TrainingEnvironment {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingEnvironment.class);
    static final String KRYO = "org.apache.spark.serializer.KryoSerializer";
    static final String ND4J_REGISTRATOR = "org.nd4j.kryo.Nd4jRegistrator";

    private TrainingEnvironment() {}

    /**
     * ND4J arrays travel between driver and executors during parameter averaging; without Kryo and ND4J's
     * registrator Spark either fails deep inside a task or silently corrupts off-heap arrays.
     */
    public static void requireKryo(SparkConf conf) {
        String serializer = conf.get("spark.serializer", "org.apache.spark.serializer.JavaSerializer");
        String registrator = conf.get("spark.kryo.registrator", "");
        if (!KRYO.equals(serializer) || !registrator.contains(ND4J_REGISTRATOR)) {
            throw new VisionLakeException(String.format(
                    "Spark is not configured for ND4J: expected spark.serializer=%s and spark.kryo.registrator"
                            + " containing %s, found spark.serializer=%s and spark.kryo.registrator=%s; use the"
                            + " settings of spark-conf/spark-defaults.conf (spark-submit --properties-file) or let"
                            + " SparkSessions build the session",
                    KRYO, ND4J_REGISTRATOR, serializer, registrator.isEmpty() ? "(unset)" : registrator));
        }
    }

    /**
     * In local mode the workers are threads of this JVM and share its native thread pools: with one worker per
     * core, each should compute on one thread, or the pools oversubscribe the cores. Returns the threads per worker.
     */
    public static int configureThreads(SparkConf conf, int workers) {
        String master = conf.get("spark.master", "");
        int cores = localCores(master);
        if (cores <= 0) {
            LOG.info(
                    "native threads left to the executors: master={} (set spark.executorEnv.OMP_NUM_THREADS to the"
                            + " executor cores per task)",
                    master);
            return -1;
        }
        int threads = Math.max(1, cores / Math.min(workers, cores));
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        LOG.info(
                "native threads per worker: master={} cores={} workers={} threads={}", master, cores, workers, threads);
        return threads;
    }

    /** Cores of a local master ({@code local}, {@code local[N]}, {@code local[*]}); 0 for a cluster master. */
    static int localCores(String master) {
        if (master.equals("local")) {
            return 1;
        }
        if (!master.startsWith("local[")) {
            return 0;
        }
        String inside = master.substring("local[".length(), master.indexOf(']'));
        String cores = inside.split(",")[0].trim();
        return cores.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(cores);
    }
}
