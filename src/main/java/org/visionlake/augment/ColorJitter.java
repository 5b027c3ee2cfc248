package org.visionlake.augment;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Scales brightness by a factor drawn from [1 - brightness, 1 + brightness] and contrast by one drawn from
 * [1 - contrast, 1 + contrast]. Contrast stretches every sample away from the mean of all samples of the
 * (brightened) image, so a grey image and each channel of a colour image are treated alike; results clamp to 0..255.
 */
public record ColorJitter(double brightness, double contrast, double probability) implements ImageTransform {
    public static final String NAME = "jitter";

    public ColorJitter {
        Checks.probability(NAME, probability);
        Checks.range(NAME + " brightness", brightness, 0, 1);
        Checks.range(NAME + " contrast", contrast, 0, 1);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean enabled() {
        return probability > 0 && (brightness > 0 || contrast > 0);
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("brightness", brightness);
        settings.put("contrast", contrast);
        settings.put("probability", probability);
        return settings;
    }

    @Override
    public Optional<ImageTransform.Step> draw(SeededRandom random, int height, int width) {
        boolean apply = random.chance(probability);
        // Rounded to 0.001 so that the lineage JSON holds exactly the factors that were applied.
        double b = Math.round(random.uniform(1 - brightness, 1 + brightness) * 1000) / 1000.0;
        double c = Math.round(random.uniform(1 - contrast, 1 + contrast) * 1000) / 1000.0;
        return apply ? Optional.of(new Step(b, c)) : Optional.empty();
    }

    /** Multiplies brightness by {@code brightness} and contrast by {@code contrast}. */
    public record Step(double brightness, double contrast) implements ImageTransform.Step {
        @Override
        public String op() {
            return NAME;
        }

        @Override
        public Map<String, Object> parameters() {
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put("brightness", brightness);
            parameters.put("contrast", contrast);
            return parameters;
        }

        @Override
        public HwcImage apply(HwcImage image) {
            return adjust(image, brightness, contrast);
        }
    }

    public static HwcImage adjust(HwcImage image, double brightness, double contrast) {
        byte[] in = image.pixels();
        double sum = 0;
        for (byte b : in) {
            sum += (b & 0xFF) * brightness;
        }
        double mean = sum / in.length;
        HwcImage out = image.blank();
        byte[] pixels = out.pixels();
        for (int i = 0; i < in.length; i++) {
            double bright = (in[i] & 0xFF) * brightness;
            pixels[i] = HwcImage.clampToByte((bright - mean) * contrast + mean);
        }
        return out;
    }
}
