package org.visionlake.augment;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Rotates the image about its centre by an angle drawn uniformly from [-maxDegrees, maxDegrees], with bilinear
 * sampling; pixels that come from outside the source take the {@code fill} value on every channel.
 */
public record RandomRotation(double maxDegrees, double probability, int fill) implements ImageTransform {
    public static final String NAME = "rotate";

    public RandomRotation {
        Checks.probability(NAME, probability);
        Checks.range(NAME + " degrees", maxDegrees, 0, 180);
        Checks.range(NAME + " fill", fill, 0, 255);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean enabled() {
        return maxDegrees > 0 && probability > 0;
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("maxDegrees", maxDegrees);
        settings.put("probability", probability);
        settings.put("fill", fill);
        return settings;
    }

    @Override
    public Optional<ImageTransform.Step> draw(SeededRandom random, int height, int width) {
        boolean apply = random.chance(probability);
        // Rounded to 0.01 degrees so that the lineage JSON holds exactly the angle that was applied.
        double degrees = Math.round(random.uniform(-maxDegrees, maxDegrees) * 100) / 100.0;
        return apply ? Optional.of(new Step(degrees, fill)) : Optional.empty();
    }

    /** Rotation by {@code degrees}, counter-clockwise as displayed (rows run downwards). */
    public record Step(double degrees, int fill) implements ImageTransform.Step {
        @Override
        public String op() {
            return NAME;
        }

        @Override
        public Map<String, Object> parameters() {
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put("degrees", degrees);
            parameters.put("fill", fill);
            return parameters;
        }

        @Override
        public HwcImage apply(HwcImage image) {
            return rotate(image, degrees, fill);
        }
    }

    /**
     * Each output pixel samples the source at the inversely rotated position. StrictMath keeps the sines and cosines,
     * and so the bytes, identical on every executor.
     */
    public static HwcImage rotate(HwcImage image, double degrees, int fill) {
        double radians = Math.toRadians(degrees);
        double cos = StrictMath.cos(radians);
        double sin = StrictMath.sin(radians);
        double cy = (image.height() - 1) / 2.0;
        double cx = (image.width() - 1) / 2.0;
        HwcImage out = image.blank();
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                double dx = x - cx;
                double dy = y - cy;
                double sourceX = cx + cos * dx - sin * dy;
                double sourceY = cy + sin * dx + cos * dy;
                sampleBilinear(image, sourceY, sourceX, fill, out, out.index(y, x, 0));
            }
        }
        return out;
    }

    private static void sampleBilinear(HwcImage image, double sy, double sx, int fill, HwcImage out, int at) {
        int y0 = (int) Math.floor(sy);
        int x0 = (int) Math.floor(sx);
        double fy = sy - y0;
        double fx = sx - x0;
        for (int c = 0; c < image.channels(); c++) {
            double top = (1 - fx) * sample(image, y0, x0, c, fill) + fx * sample(image, y0, x0 + 1, c, fill);
            double bottom = (1 - fx) * sample(image, y0 + 1, x0, c, fill) + fx * sample(image, y0 + 1, x0 + 1, c, fill);
            out.pixels()[at + c] = HwcImage.clampToByte((1 - fy) * top + fy * bottom);
        }
    }

    private static int sample(HwcImage image, int y, int x, int c, int fill) {
        boolean inside = y >= 0 && y < image.height() && x >= 0 && x < image.width();
        return inside ? image.get(y, x, c) : fill;
    }
}
