package org.visionlake.experiment.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visionlake.VisionLakeException;
import org.visionlake.features.FeatureCache;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.lake.ImageSchema;
import org.visionlake.lake.Json;
import org.visionlake.lake.Lake;
import org.visionlake.lake.LakeDatasets;
import org.visionlake.models.Backbone;
import org.visionlake.models.BackboneSources;
import org.visionlake.models.ModelCard;
import org.visionlake.models.ModelRegistry;
import org.visionlake.runs.RunRecord;
import org.visionlake.runs.RunState;
import org.visionlake.runs.RunWriter;
import org.visionlake.testing.ArchiveImages;
import org.visionlake.testing.TestSpark;
import org.visionlake.train.ChannelStats;
import org.visionlake.train.SparkTrainer;
import org.visionlake.train.TrainingData;

/**
 * Pretrain on real CIFAR-10 JPEGs, transfer to real cats-vs-dogs JPEGs, on Spark local[2]. The images are shrunk
 * (CIFAR 32 -> 16, pets 64 -> 32, resized to the backbone's 16 on the fly) so that one small backbone and one
 * experiment run serve the whole class; each test then checks one property of the registry, cache, run or networks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransferExperimentTest {
    private static final List<String> CIFAR_LABELS = List.of("cat", "dog", "ship", "truck");
    private static final List<String> PETS = List.of("cat", "dog");
    private static final int HIDDEN = 16;
    private static final Logger LOG = LoggerFactory.getLogger(TransferExperimentTest.class);

    @TempDir
    static Path dir;

    private SparkSession spark;
    private Lake lake;
    private ModelCard pretrained;
    private long computationsBefore;
    private TransferExperiment.Outcome first;

    @BeforeAll
    void pretrainAndTransferOnce() {
        spark = TestSpark.session();
        lake = Lake.open(dir.resolve("lake").toString(), spark.sparkContext().hadoopConfiguration());
        ArchiveImages.publish(
                spark,
                lake,
                "cifar-mini",
                ArchiveImages.shrink(ArchiveImages.cifar(CIFAR_LABELS, 16, 4), 16),
                CIFAR_LABELS);
        ArchiveImages.publish(spark, lake, "pets", ArchiveImages.shrink(ArchiveImages.catsVsDogs(16, 8), 32), PETS);
        pretrained = new Pretrainer(spark, lake)
                .run(new Pretrainer.Settings("cifar-mini", "mini-resnet8", 1, 1, 8, 0.01, 0, 0, 7, 2));
        computationsBefore = FeatureCache.computations();
        first = new TransferExperiment(spark, lake).run(settings(List.of(16, 32), 2, 1));
    }

    @Test
    void registry_roundTripKeepsCardAndWeights() {
        ModelRegistry registry = new ModelRegistry(lake);
        ModelRegistry.Registered loaded = registry.load("mini-resnet8");

        assertThat(registry.latest()).map(ModelCard::name).contains("mini-resnet8");
        // The cache test of this class re-registers the weights; the card is otherwise unchanged.
        assertThat(loaded.card())
                .usingRecursiveComparison()
                .ignoringFields("fingerprint", "lineage")
                .isEqualTo(pretrained);
        // Read back from JSON, numbers come as the narrowest type; compared as JSON they are the same lineage.
        assertThat(Json.write(loaded.card().lineage())).isEqualTo(Json.write(pretrained.lineage()));
        assertThat(loaded.card().fingerprint()).matches("[0-9a-f]{16}");
        assertThat(pretrained.sourceDataset()).isEqualTo("cifar-mini");
        assertThat(pretrained.sourceFingerprint()).hasSize(16);
        assertThat(pretrained.inputShape()).isEqualTo(new DatasetManifest.Shape(16, 16, 3));
        assertThat(pretrained.labels()).containsExactlyElementsOf(CIFAR_LABELS);
        assertThat(pretrained.testAccuracy()).isBetween(0.0, 1.0);
        assertThat(loaded.graph().numParams()).isEqualTo(pretrained.parameters());
        assertThat(loaded.graph().params())
                .isEqualTo(registry.load("mini-resnet8").graph().params());

        RunRecord run = RunWriter.read(lake, (String) pretrained.lineage().get("run_id"));
        assertThat(run.experiment()).isEqualTo("pretrain");
        assertThat(run.state()).isEqualTo(RunState.COMPLETE);
        assertThat(run.configuration()).containsKeys("dataset", "batch_size", "learning_rate", "seed", "workers");
        assertThat(run.files()).contains("metrics.csv", RunWriter.RECORD);
    }

    @Test
    void experiment_recordsTheRunInTheShapeTheReportReads() throws Exception {
        RunRecord run = RunWriter.read(lake, first.runId());

        assertThat(run.experiment()).isEqualTo("transfer");
        assertThat(run.state()).isEqualTo(RunState.COMPLETE);
        assertThat(run.configuration())
                .containsEntry("source_model", "latest")
                .containsEntry("target_dataset", "pets")
                .containsEntry("train_sizes", List.of(16, 32))
                .containsEntry("stage1_epochs", 2)
                .containsEntry("stage2_epochs", 1)
                .containsEntry("batch_size", 8)
                .containsEntry("seed", 11);
        List<Map<String, Object>> results = results(run);
        assertThat(results).hasSize(6);
        assertThat(results.stream().map(r -> r.get("approach")).toList())
                .containsExactly("scratch", "frozen", "finetune", "scratch", "frozen", "finetune");
        for (Map<String, Object> result : results) {
            assertThat(result)
                    .containsOnlyKeys(
                            "approach",
                            "train_size",
                            "epochs",
                            "trainable_params",
                            "total_params",
                            "val_accuracy",
                            "test_accuracy",
                            "test_loss",
                            "test_images",
                            "train_seconds",
                            "wall_seconds",
                            "images_per_second");
            assertThat(number(result, "test_accuracy")).isBetween(0.0, 1.0);
            assertThat(number(result, "test_loss")).isPositive();
            assertThat(number(result, "test_images")).isEqualTo(4.0 * 2);
            assertThat(number(result, "images_per_second")).isPositive();
        }

        Dataset<Row> metrics = spark.read()
                .parquet(dir.resolve("lake/runs/" + first.runId() + "/metrics.parquet")
                        .toString());
        assertThat(metrics.schema().fields())
                .extracting(f -> f.name() + ":" + f.dataType().simpleString())
                .containsExactly(
                        "approach:string",
                        "train_size:int",
                        "stage:string",
                        "epoch:int",
                        "train_loss:double",
                        "train_accuracy:double",
                        "val_loss:double",
                        "val_accuracy:double",
                        "epoch_seconds:double",
                        "images_per_second:double");
        // Per size: scratch and frozen 2 stage-1 epochs each, fine-tuning 1 stage-2 epoch, counted from 1.
        assertThat(metrics.where("train_size = 16").orderBy("approach", "epoch").collectAsList().stream()
                        .map(r -> r.getString(0) + "/" + r.getString(2) + "/" + r.getInt(3))
                        .toList())
                .containsExactly(
                        "finetune/stage2/1",
                        "frozen/stage1/1",
                        "frozen/stage1/2",
                        "scratch/stage1/1",
                        "scratch/stage1/2");
        assertThat(metrics.count()).isEqualTo(10);
        assertThat(Files.readAllLines(dir.resolve("lake/runs/" + first.runId() + "/metrics.csv")))
                .hasSize(11)
                .first()
                .isEqualTo(String.join(",", metrics.columns()));
    }

    @Test
    void experiment_parameterCountsShowWhatEachApproachTrains() {
        Map<String, Map<String, Object>> bySize16 = new HashMap<>();
        results(RunWriter.read(lake, first.runId())).stream()
                .filter(r -> number(r, "train_size") == 16)
                .forEach(r -> bySize16.put((String) r.get("approach"), r));
        Backbone backbone = BackboneSources.resolve(lake, "mini-resnet8", 16);
        long head = ((long) backbone.featureSize() * HIDDEN + HIDDEN) + (HIDDEN * 2L + 2);

        Map<String, Object> scratch = bySize16.get("scratch");
        Map<String, Object> frozen = bySize16.get("frozen");
        Map<String, Object> finetune = bySize16.get("finetune");
        assertThat(number(scratch, "trainable_params")).isEqualTo(number(scratch, "total_params"));
        assertThat(number(frozen, "trainable_params")).isEqualTo(head);
        assertThat(number(frozen, "total_params")).isEqualTo(number(finetune, "total_params"));
        assertThat(number(finetune, "trainable_params"))
                .isGreaterThan(number(frozen, "trainable_params"))
                .isLessThan(number(finetune, "total_params"));
    }

    @Test
    void fineTuneOnSpark_leavesEveryFrozenLayerBitIdentical() {
        Backbone backbone = BackboneSources.resolve(lake, "mini-resnet8", 16);
        TransferSettings s = settings(List.of(16), 1, 1);
        ComputationGraph net = new TransferNetworks(2, HIDDEN, 3).transfer(backbone, backbone.frozenBoundary(), 0.05);
        ComputationGraph before = net.clone();
        DatasetManifest pets = new LakeDatasets(lake).manifest("pets");
        TrainingData data = TrainingData.index(
                new LakeDatasets(lake).readSplit(spark, "pets", ImageSchema.TRAIN),
                pets,
                s.training(),
                0,
                ChannelStats.of(backbone.normalization()),
                backbone.inputShape());
        SparkTrainer trainer = new SparkTrainer(
                JavaSparkContext.fromSparkContext(spark.sparkContext()), "freeze-check", net, s.training());

        trainer.trainEpoch(data, 0, 1, 0.05);
        data.release();

        long trainable = 0;
        for (Layer layer : trainer.network().getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (layer.numParams() == 0) {
                continue;
            }
            boolean top = name.startsWith("s3") || name.startsWith("head_") || name.equals("output");
            assertThat(layer.params().equals(before.getLayer(name).params()))
                    .as("parameters of %s unchanged", name)
                    .isEqualTo(!top);
            trainable += top ? layer.numParams() : 0;
        }
        assertThat(TransferNetworks.trainableParams(trainer.network())).isEqualTo(trainable);
    }

    @Test
    void featureCache_vectorsCarrySignal() {
        Dataset<Row> vectors = new FeatureCache(spark, lake).read(first.features());
        List<Row> rows = vectors.select(FeatureCache.FEATURES).collectAsList();
        double sum = 0;
        double squares = 0;
        long zeros = 0;
        long n = 0;
        for (Row row : rows) {
            for (Float value : row.<Float>getList(0)) {
                sum += value;
                squares += value * value;
                zeros += value == 0f ? 1 : 0;
                n++;
            }
        }
        double mean = sum / n;
        double std = Math.sqrt(squares / n - mean * mean);

        LOG.info(
                "cached features: vectors={} zero_fraction={} mean={} std={}",
                rows.size(),
                zeros / (double) n,
                mean,
                std);
        assertThat(rows).hasSize(16 * 2 + 8 * 2);
        assertThat(rows.get(0).getList(0)).hasSize(first.features().manifest().featureSize());
        // Dead features (all zero, or one value for every image) would leave the head nothing to learn from.
        assertThat((double) zeros / n).as("fraction of zero features").isLessThan(0.5);
        assertThat(std).as("std of the features").isGreaterThan(1e-3);
    }

    @Test
    void featureCache_secondRunReusesTheCachedVectors() {
        TransferExperiment.Outcome second = new TransferExperiment(spark, lake).run(settings(List.of(16), 1, 1));

        assertThat(first.features().computed()).isTrue();
        assertThat(second.features().computed()).isFalse();
        assertThat(FeatureCache.computations() - computationsBefore).isEqualTo(1);
        assertThat(second.features().manifest().key())
                .isEqualTo(first.features().manifest().key());
        assertThat(second.features().manifest().createdAt())
                .isEqualTo(first.features().manifest().createdAt());
        assertThat(second.features().manifest().counts()).containsEntry("train", 32L);
        assertThat(second.record().metrics()).containsEntry("features_computed", false);
    }

    @Test
    void featureCache_newEntryWhenDatasetOrModelChanges() {
        ArchiveImages.publish(spark, lake, "pets-a", ArchiveImages.shrink(ArchiveImages.catsVsDogs(6, 4), 16), PETS);
        FeatureCache cache = new FeatureCache(spark, lake);
        Backbone backbone = BackboneSources.resolve(lake, "mini-resnet8", 16);
        FeatureCache.Entry original = cache.features(backbone, "pets-a", backbone.featureVertex());

        ArchiveImages.publish(spark, lake, "pets-a", ArchiveImages.shrink(ArchiveImages.catsVsDogs(7, 4), 16), PETS);
        FeatureCache.Entry afterReingest = cache.features(backbone, "pets-a", backbone.featureVertex());

        new ModelRegistry(lake).register(backbone.graph().clone(), pretrained);
        Backbone same = BackboneSources.resolve(lake, "mini-resnet8", 16);
        ComputationGraph changed = backbone.graph().clone();
        changed.params().addi(0.01);
        new ModelRegistry(lake).register(changed, pretrained);
        Backbone retrained = BackboneSources.resolve(lake, "mini-resnet8", 16);
        FeatureCache.Entry afterRetrain = cache.features(retrained, "pets-a", retrained.featureVertex());

        assertThat(afterReingest.computed()).isTrue();
        assertThat(afterReingest.manifest().key())
                .isNotEqualTo(original.manifest().key());
        assertThat(afterReingest.manifest().counts()).containsEntry("train", 14L);
        assertThat(same.fingerprint()).isEqualTo(backbone.fingerprint());
        assertThat(afterRetrain.computed()).isTrue();
        assertThat(afterRetrain.manifest().key())
                .isNotEqualTo(afterReingest.manifest().key());
        assertThat(afterRetrain.manifest().modelFingerprint()).isNotEqualTo(backbone.fingerprint());
        // Put the original weights back for the other tests of the class.
        new ModelRegistry(lake).register(backbone.graph(), pretrained);
    }

    @Test
    void zooBackbone_failsBeforeAnyDownloadWhenWeightsAreAbsent(@TempDir Path zooHome) {
        File previous = DL4JResources.getBaseDirectory();
        DL4JResources.setBaseDirectory(zooHome.toFile());
        try {
            assertThatThrownBy(() -> BackboneSources.resolve(lake, "zoo:resnet50", 32))
                    .isInstanceOf(VisionLakeException.class)
                    .hasMessageContaining("resnet50_dl4j_inference.v3.zip")
                    .hasMessageContaining(zooHome.resolve("models/resnet50").toString())
                    .hasMessageContaining("never downloads");
            assertThat(zooHome.resolve("models/resnet50/resnet50_dl4j_inference.v3.zip"))
                    .doesNotExist();
        } finally {
            DL4JResources.setBaseDirectory(previous);
        }
    }

    private static TransferSettings settings(List<Integer> sizes, int stage1, int stage2) {
        return new TransferSettings(null, "pets", sizes, stage1, stage2, 8, 0.01, 0.1, HIDDEN, 0, 11, 16, 2);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> results(RunRecord run) {
        return (List<Map<String, Object>>) run.metrics().get("results");
    }

    private static double number(Map<String, Object> result, String key) {
        return ((Number) result.get(key)).doubleValue();
    }
}
