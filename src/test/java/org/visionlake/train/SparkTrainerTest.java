package org.visionlake.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.lake.ImageSchema;
import org.visionlake.lake.Lake;
import org.visionlake.lake.LakeDatasets;
import org.visionlake.nn.CifarNetworks;
import org.visionlake.nn.NetworkSpec;
import org.visionlake.testing.CifarSample;
import org.visionlake.testing.TestSpark;

class SparkTrainerTest {
    @TempDir
    static Path lakeDir;

    static SparkSession spark;
    static JavaSparkContext sc;
    static LakeDatasets datasets;
    static DatasetManifest manifest;

    @BeforeAll
    static void publishSample() {
        spark = TestSpark.session();
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Lake lake = Lake.open(lakeDir.toString(), spark.sparkContext().hadoopConfiguration());
        manifest = CifarSample.publish(spark, lake, "planes-frogs", List.of("airplane", "frog"), 200, 60, 16);
        datasets = new LakeDatasets(lake);
    }

    @Test
    void oneWorkerAveragingEveryBatch_matchesLocalFitOnTheSameBatches() {
        NetworkSpec spec = new NetworkSpec(16, 16, 3, 2, 1, 7, 0.05, 0.9, 1e-4);
        TrainingSettings settings = new TrainingSettings(1, 16, 1, 0, 7);
        TrainingData data = TrainingData.index(train(), manifest, settings, 96);
        ComputationGraph local = CifarNetworks.residual(spec);
        SparkTrainer trainer = new SparkTrainer(sc, "residual", CifarNetworks.residual(spec), settings);
        assertThat(trainer.network().params()).isEqualTo(local.params());

        for (int epoch = 0; epoch < 2; epoch++) {
            double rate = LearningRateSchedule.STEP.rate(0.05, epoch, 2);
            List<DataSet> batches = data.epoch(epoch).collect();
            local.setLearningRate(rate);
            batches.forEach(local::fit);
            trainer.trainEpoch(data, epoch, 2, rate);
        }

        INDArray sparkParams = trainer.network().params();
        INDArray localParams = local.params();
        double maxDiff =
                Transforms.abs(sparkParams.sub(localParams)).maxNumber().doubleValue();
        double moved = Transforms.abs(
                        localParams.sub(CifarNetworks.residual(spec).params()))
                .maxNumber()
                .doubleValue();
        assertThat(moved).as("training changed the parameters").isGreaterThan(1e-3);
        assertThat(maxDiff).as("largest parameter difference, Spark vs local").isLessThan(1e-4);
        data.release();
    }

    @Test
    void twoWorkers_lossFallsAndAccuracyBeatsChance() {
        NetworkSpec spec = new NetworkSpec(16, 16, 3, 2, 1, 11, 0.05, 0.9, 1e-4);
        TrainingSettings settings = new TrainingSettings(2, 16, 3, 2, 11);
        TrainingData data = TrainingData.index(train(), manifest, settings, 0);
        JavaRDD<DataSet> val = data.other(datasets.readSplit(spark, manifest.name(), ImageSchema.VAL), 0, 32)
                .cache();
        SparkTrainer trainer = new SparkTrainer(sc, "residual", CifarNetworks.residual(spec), settings);
        SparkTrainer.Score before = trainer.evaluate(val);

        SparkTrainer.EpochResult first = trainer.trainEpoch(data, 0, 3, 0.05);
        SparkTrainer.EpochResult last = first;
        for (int epoch = 1; epoch < 3; epoch++) {
            last = trainer.trainEpoch(data, epoch, 3, 0.05);
        }
        SparkTrainer.Score after = trainer.evaluate(val);

        assertThat(first.images()).isEqualTo(400);
        assertThat(last.meanLoss()).isLessThan(first.meanLoss());
        assertThat(after.loss()).isLessThan(before.loss());
        assertThat(after.images()).isEqualTo(120);
        assertThat(after.accuracy()).as("val accuracy of 2 classes").isGreaterThan(0.7);
        val.unpersist();
        data.release();
    }

    private static org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> train() {
        return datasets.readSplit(spark, manifest.name(), ImageSchema.TRAIN);
    }
}
