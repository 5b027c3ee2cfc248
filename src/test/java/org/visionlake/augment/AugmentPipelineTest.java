package org.visionlake.augment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.visionlake.lake.Json;
import org.visionlake.testing.TestDatasets;

class AugmentPipelineTest {
    private static final AugmentPipeline ALL = new AugmentPipeline(List.of(
            new RandomCrop(4, 1.0),
            new HorizontalFlip(0.5),
            new RandomRotation(10, 0.5, 0),
            new ColorJitter(0.3, 0.3, 0.5)));

    private static HwcImage image() {
        return TestDatasets.cifarJpegs("train", 1, List.of("dog")).get(0).image();
    }

    @Test
    void augment_isAFunctionOfSeedIdAndCopy() {
        HwcImage image = image();

        AugmentPipeline.Augmented first = ALL.augment(image, 7, "abc", 2);
        AugmentPipeline.Augmented again = ALL.augment(image, 7, "abc", 2);

        assertThat(again.image()).isEqualTo(first.image());
        assertThat(again.lineageJson()).isEqualTo(first.lineageJson());
        assertThat(ALL.augment(image, 8, "abc", 2).lineageJson()).isNotEqualTo(first.lineageJson());
        assertThat(ALL.augment(image, 7, "abd", 2).lineageJson()).isNotEqualTo(first.lineageJson());
        assertThat(ALL.augment(image, 7, "abc", 3).lineageJson()).isNotEqualTo(first.lineageJson());
    }

    @Test
    void lineage_replaysToTheSameImage() throws Exception {
        HwcImage image = image();
        AugmentPipeline.Augmented augmented = ALL.augment(image, 11, "id-1", 1);

        List<Map<String, Object>> steps =
                Json.mapper().readValue(augmented.lineageJson(), new TypeReference<List<Map<String, Object>>>() {});
        HwcImage replayed = image;
        for (Map<String, Object> step : steps) {
            replayed = replay(step).apply(replayed);
        }

        assertThat(replayed).isEqualTo(augmented.image());
    }

    @Test
    void lineageJson_isOneLineWithTheOpFirst() {
        String json = AugmentPipeline.lineageJson(List.of(new RandomCrop.Step(4, 6, 1), new HorizontalFlip.Step()));

        assertThat(json).isEqualTo("[{\"op\":\"crop\",\"padding\":4,\"top\":6,\"left\":1},{\"op\":\"flip\"}]");
    }

    @Test
    void turningOneTransformOff_doesNotChangeTheDrawsOfTheOthers() {
        AugmentPipeline noRotation = new AugmentPipeline(List.of(
                new RandomCrop(4, 1.0),
                new HorizontalFlip(0.5),
                new RandomRotation(0, 0.5, 0),
                new ColorJitter(0.3, 0.3, 0.5)));

        for (int copy = 1; copy <= 20; copy++) {
            List<String> withRotation = ops(ALL.augment(image(), 3, "img", copy).steps(), "rotate");
            List<String> without =
                    ops(noRotation.augment(image(), 3, "img", copy).steps(), "rotate");

            assertThat(without).isEqualTo(withRotation);
        }
    }

    @Test
    void flipProbability_isHonouredOverManyImages() {
        AugmentPipeline flipOnly = new AugmentPipeline(List.of(new HorizontalFlip(0.5)));
        HwcImage tiny = HwcImage.filled(1, 2, 1, 0);

        long flipped = 0;
        for (int i = 0; i < 2000; i++) {
            flipped += flipOnly.augment(tiny, 42, "image-" + i, 1).steps().size();
        }

        assertThat(flipped).isBetween(900L, 1100L);
    }

    @Test
    void cifarDefaults_cropEveryImageAndFlipSome() {
        Map<String, Object> settings = AugmentPipeline.cifarDefaults().settings();
        Map<String, Object> crop = cast(settings.get("crop"));

        assertThat(settings).containsOnlyKeys("crop", "flip", "rotate", "jitter");
        assertThat(crop).containsEntry("padding", 4).containsEntry("enabled", true);
        assertThat(cast(settings.get("flip"))).containsEntry("probability", 0.5);
        assertThat(cast(settings.get("rotate"))).containsEntry("enabled", false);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object map) {
        return (Map<String, Object>) map;
    }

    private static List<String> ops(List<ImageTransform.Step> steps, String except) {
        List<String> out = new ArrayList<>();
        for (ImageTransform.Step step : steps) {
            if (!step.op().equals(except)) {
                out.add(step.op() + step.parameters());
            }
        }
        return out;
    }

    private static ImageTransform.Step replay(Map<String, Object> step) {
        return switch ((String) step.get("op")) {
            case "crop" -> new RandomCrop.Step(
                    (Integer) step.get("padding"), (Integer) step.get("top"), (Integer) step.get("left"));
            case "flip" -> new HorizontalFlip.Step();
            case "rotate" -> new RandomRotation.Step(
                    ((Number) step.get("degrees")).doubleValue(), (Integer) step.get("fill"));
            case "jitter" -> new ColorJitter.Step(
                    ((Number) step.get("brightness")).doubleValue(), ((Number) step.get("contrast")).doubleValue());
            default -> throw new IllegalArgumentException("unknown op " + step);
        };
    }
}
