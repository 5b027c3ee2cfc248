package org.visionlake.experiment.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.visionlake.VisionLakeException;
import org.visionlake.features.FeatureCache;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.lake.Json;
import org.visionlake.lake.Lake;
import org.visionlake.models.Backbone;
import org.visionlake.models.BackboneSources;
import org.visionlake.models.ModelCard;
import org.visionlake.models.ModelRegistry;
import org.visionlake.testing.ArchiveImages;
import org.visionlake.testing.TestSpark;

/**
 * Pretrain on real CIFAR-10 JPEGs, transfer to real cats-vs-dogs JPEGs, on Spark local[2]. One small backbone is
 * pretrained for the whole class; each test then checks one property of the registry, cache or networks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransferExperimentTest {
    private static final List<String> CIFAR_LABELS = List.of("cat", "dog", "ship", "truck");
    private static final List<String> PETS = List.of("cat", "dog");

    @TempDir
    static Path dir;

    private SparkSession spark;
    private Lake lake;
    private ModelCard pretrained;

    @BeforeAll
    void pretrainOnce() {
        spark = TestSpark.session();
        lake = Lake.open(dir.resolve("lake").toString(), spark.sparkContext().hadoopConfiguration());
        ArchiveImages.publish(spark, lake, "cifar-mini", ArchiveImages.cifar(CIFAR_LABELS, 24, 8), CIFAR_LABELS);
        ArchiveImages.publish(spark, lake, "pets", ArchiveImages.catsVsDogs(24, 12), PETS);
        pretrained = new Pretrainer(spark, lake)
                .run(new Pretrainer.Settings("cifar-mini", "mini-resnet8", 1, 1, 16, 0.01, 0, 32, 7));
    }

    @Test
    void registry_roundTripKeepsCardAndWeights() {
        ModelRegistry registry = new ModelRegistry(lake);
        ModelRegistry.Registered loaded = registry.load("mini-resnet8");

        assertThat(registry.latest()).map(ModelCard::name).contains("mini-resnet8");
        // The cache test of this class re-registers the weights; the card is otherwise unchanged.
        assertThat(loaded.card())
                .usingRecursiveComparison()
                .ignoringFields("fingerprint")
                .isEqualTo(pretrained);
        assertThat(loaded.card().fingerprint()).matches("[0-9a-f]{16}");
        assertThat(pretrained.sourceDataset()).isEqualTo("cifar-mini");
        assertThat(pretrained.sourceFingerprint()).hasSize(16);
        assertThat(pretrained.inputShape()).isEqualTo(new DatasetManifest.Shape(32, 32, 3));
        assertThat(pretrained.labels()).containsExactlyElementsOf(CIFAR_LABELS);
        assertThat(pretrained.testAccuracy()).isBetween(0.0, 1.0);
        assertThat(pretrained.lineage()).containsKeys("runId", "config");
        assertThat(loaded.graph().numParams()).isEqualTo(pretrained.parameters());
        assertThat(lake.exists(new org.apache.hadoop.fs.Path(
                        lake.runPath((String) pretrained.lineage().get("runId")), RunRecorder.RUN_FILE)))
                .isTrue();
    }

    @Test
    void experiment_recordsThreeApproachesPerSizeAndReusesTheFeatureCache() throws Exception {
        TransferSettings settings = settings("pets");
        long before = FeatureCache.computations();

        TransferExperiment.Outcome first = new TransferExperiment(spark, lake).run(settings);
        TransferExperiment.Outcome second = new TransferExperiment(spark, lake).run(settings);

        assertThat(first.features().computed()).isTrue();
        assertThat(second.features().computed()).isFalse();
        assertThat(FeatureCache.computations() - before).isEqualTo(1);
        assertThat(second.features().manifest().createdAt())
                .isEqualTo(first.features().manifest().createdAt());
        assertThat(second.features().manifest().counts()).containsEntry("train", 48L);

        Map<?, ?> run = Json.read(
                Files.readString(dir.resolve("lake/runs/" + first.runId() + "/" + RunRecorder.RUN_FILE)), Map.class);
        assertThat(run.get("state")).isEqualTo("complete");
        List<?> results = (List<?>) run.get("results");
        assertThat(results).hasSize(6);
        for (Object each : results) {
            Map<?, ?> result = (Map<?, ?>) each;
            assertThat(((Number) result.get("testAccuracy")).doubleValue()).isBetween(0.0, 1.0);
            assertThat(((Number) result.get("trainableParams")).longValue())
                    .isPositive()
                    .isLessThanOrEqualTo(((Number) result.get("totalParams")).longValue());
        }
        assertThat(results.stream()
                        .map(r -> (Object) ((Map<?, ?>) r).get("approach"))
                        .toList())
                .containsExactly("scratch", "frozen", "finetune", "scratch", "frozen", "finetune");
        List<String> csv = Files.readAllLines(dir.resolve("lake/runs/" + first.runId() + "/metrics.csv"));
        // Header, then per size: scratch and frozen 2 epochs each, fine-tuning 1.
        assertThat(csv).hasSize(1 + 2 * (2 + 2 + 1));
        assertThat(spark.read()
                        .parquet(dir.resolve("lake/runs/" + first.runId() + "/metrics")
                                .toString())
                        .count())
                .isEqualTo(10);
    }

    @Test
    void featureCache_newEntryWhenDatasetOrModelChanges() {
        ArchiveImages.publish(spark, lake, "pets-a", ArchiveImages.catsVsDogs(6, 4), PETS);
        FeatureCache cache = new FeatureCache(spark, lake);
        Backbone backbone = BackboneSources.resolve(lake, "mini-resnet8", 32);
        FeatureCache.Entry original = cache.features(backbone, "pets-a", backbone.featureVertex());

        ArchiveImages.publish(spark, lake, "pets-a", ArchiveImages.catsVsDogs(7, 4), PETS);
        FeatureCache.Entry afterReingest = cache.features(backbone, "pets-a", backbone.featureVertex());

        new ModelRegistry(lake).register(backbone.graph().clone(), pretrained);
        Backbone same = BackboneSources.resolve(lake, "mini-resnet8", 32);
        ComputationGraph changed = backbone.graph().clone();
        changed.params().addi(0.01);
        new ModelRegistry(lake).register(changed, pretrained);
        Backbone retrained = BackboneSources.resolve(lake, "mini-resnet8", 32);
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

    private static TransferSettings settings(String target) {
        return new TransferSettings(null, target, List.of(8, 16), 2, 1, 8, 0.01, 0.1, 16, 0, 11, 32);
    }
}
