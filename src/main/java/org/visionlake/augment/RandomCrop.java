package org.visionlake.augment;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Pads the image with {@code padding} zero pixels on every side and crops a window of the original size at a random
 * offset: the CIFAR "pad 4 and crop" augmentation, which shifts the content by up to {@code padding} pixels.
 */
public record RandomCrop(int padding, double probability) implements ImageTransform {
    public static final String NAME = "crop";

    public RandomCrop {
        Checks.probability(NAME, probability);
        Checks.atLeast(NAME + " padding", padding, 0);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean enabled() {
        return padding > 0 && probability > 0;
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("padding", padding);
        settings.put("probability", probability);
        return settings;
    }

    @Override
    public Optional<ImageTransform.Step> draw(SeededRandom random, int height, int width) {
        boolean apply = random.chance(probability);
        int top = random.nextInt(2 * padding + 1);
        int left = random.nextInt(2 * padding + 1);
        return apply ? Optional.of(new Step(padding, top, left)) : Optional.empty();
    }

    /**
     * The window at ({@code top}, {@code left}) of the padded image, each in [0, 2*padding]; (padding, padding) is the
     * original image.
     */
    public record Step(int padding, int top, int left) implements ImageTransform.Step {
        @Override
        public String op() {
            return NAME;
        }

        @Override
        public Map<String, Object> parameters() {
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put("padding", padding);
            parameters.put("top", top);
            parameters.put("left", left);
            return parameters;
        }

        @Override
        public HwcImage apply(HwcImage image) {
            return crop(image, top - padding, left - padding);
        }
    }

    /** Output pixel (y, x) is input pixel (y + dy, x + dx), or zero where that falls outside the input. */
    public static HwcImage crop(HwcImage image, int dy, int dx) {
        HwcImage out = image.blank();
        int channels = image.channels();
        int rowBytes = image.width() * channels;
        int fromX = Math.max(0, -dx);
        int toX = Math.min(image.width(), image.width() - dx);
        if (fromX >= toX) {
            return out;
        }
        for (int y = 0; y < image.height(); y++) {
            int sourceY = y + dy;
            if (sourceY < 0 || sourceY >= image.height()) {
                continue;
            }
            System.arraycopy(
                    image.pixels(),
                    sourceY * rowBytes + (fromX + dx) * channels,
                    out.pixels(),
                    y * rowBytes + fromX * channels,
                    (toX - fromX) * channels);
        }
        return out;
    }
}
