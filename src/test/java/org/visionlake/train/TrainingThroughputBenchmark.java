package org.visionlake.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.lake.ImageSchema;
import org.visionlake.lake.Lake;
import org.visionlake.lake.LakeDatasets;
import org.visionlake.nn.CifarNetworks;
import org.visionlake.nn.NetworkSpec;
import org.visionlake.testing.CifarSample;
import org.visionlake.testing.TestSpark;

/**
 * Images/second of Spark training (local[2], 2 workers, parameter averaging) against the same network fitted in
 * one process without Spark, on the same images with the same total batch. Not part of the normal test run:
 * {@code mvn test -Dtest=TrainingThroughputBenchmark -Dvisionlake.benchmark=true}. Prints medians and the ratio.
 */
@EnabledIfSystemProperty(named = "visionlake.benchmark", matches = "true")
class TrainingThroughputBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingThroughputBenchmark.class);
    private static final int REPEATS = 3;

    @TempDir
    Path lakeDir;

    @Test
    void sparkTwoWorkers_againstOneProcess() {
        SparkSession spark = TestSpark.session();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Lake lake = Lake.open(lakeDir.toString(), spark.sparkContext().hadoopConfiguration());
        DatasetManifest manifest =
                CifarSample.publish(spark, lake, "bench", List.of("airplane", "frog", "ship", "truck"), 200, 8, 32);
        LakeDatasets datasets = new LakeDatasets(lake);
        int blocks = Integer.getInteger("visionlake.benchmark.blocks", 1);
        int perWorker = Integer.getInteger("visionlake.benchmark.batch", 32);
        int frequency = Integer.getInteger("visionlake.benchmark.averaging", 5);
        NetworkSpec spec = new NetworkSpec(32, 32, 3, 4, blocks, 1, 0.05, 0.9, 1e-4);

        TrainingSettings spark2 = new TrainingSettings(2, perWorker, frequency, 2, 1);
        TrainingSettings local1 = new TrainingSettings(1, 2 * perWorker, 1, 0, 1);
        TrainingData sparkData =
                TrainingData.index(datasets.readSplit(spark, "bench", ImageSchema.TRAIN), manifest, spark2, 0);
        TrainingData localData =
                TrainingData.index(datasets.readSplit(spark, "bench", ImageSchema.TRAIN), manifest, local1, 0);

        SparkTrainer trainer = new SparkTrainer(sc, "bench", CifarNetworks.residual(spec), spark2);
        ComputationGraph local = CifarNetworks.residual(spec);
        List<Double> sparkRates = new ArrayList<>();
        List<Double> localRates = new ArrayList<>();
        for (int repeat = 0; repeat <= REPEATS; repeat++) {
            TrainingEnvironment.configureThreads(spark.sparkContext().getConf(), 2);
            double sparkRate =
                    trainer.trainEpoch(sparkData, repeat, REPEATS + 1, 0.05).imagesPerSecond();
            double localRate = fitLocally(local, localData.epoch(repeat).collect());
            // The first pass warms up the JIT and native code paths of both.
            if (repeat > 0) {
                sparkRates.add(sparkRate);
                localRates.add(localRate);
            }
            LOG.info("benchmark pass={} spark_img/s={} local_img/s={}", repeat, sparkRate, localRate);
        }
        double sparkMedian = median(sparkRates);
        double localMedian = median(localRates);
        LOG.info(
                "benchmark result: blocks={} batch_per_worker={} averaging_frequency={} spark_img/s={} local_img/s={}"
                        + " ratio={}",
                blocks,
                perWorker,
                frequency,
                String.format("%.1f", sparkMedian),
                String.format("%.1f", localMedian),
                String.format("%.3f", sparkMedian / localMedian));
    }

    /** One process, both cores for native code, minibatches already in memory (the most favourable case). */
    private static double fitLocally(ComputationGraph net, List<DataSet> batches) {
        Nd4j.getEnvironment().setMaxThreads(2);
        Nd4j.getEnvironment().setMaxMasterThreads(2);
        Nd4j.factory().blas().setMaxThreads(2);
        long start = System.nanoTime();
        long images = 0;
        for (DataSet batch : batches) {
            net.fit(batch);
            images += batch.numExamples();
        }
        return images / ((System.nanoTime() - start) / 1e9);
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
