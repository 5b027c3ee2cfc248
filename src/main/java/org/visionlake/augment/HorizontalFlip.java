package org.visionlake.augment;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Mirrors the image left to right with the given probability. */
public record HorizontalFlip(double probability) implements ImageTransform {
    public static final String NAME = "flip";

    public HorizontalFlip {
        Checks.probability(NAME, probability);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean enabled() {
        return probability > 0;
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("probability", probability);
        return settings;
    }

    @Override
    public Optional<ImageTransform.Step> draw(SeededRandom random, int height, int width) {
        return random.chance(probability) ? Optional.of(new Step()) : Optional.empty();
    }

    /** The flip has no parameters. */
    public record Step() implements ImageTransform.Step {
        @Override
        public String op() {
            return NAME;
        }

        @Override
        public Map<String, Object> parameters() {
            return Map.of();
        }

        @Override
        public HwcImage apply(HwcImage image) {
            return flip(image);
        }
    }

    public static HwcImage flip(HwcImage image) {
        HwcImage out = image.blank();
        int channels = image.channels();
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                System.arraycopy(
                        image.pixels(),
                        image.index(y, image.width() - 1 - x, 0),
                        out.pixels(),
                        image.index(y, x, 0),
                        channels);
            }
        }
        return out;
    }
}
