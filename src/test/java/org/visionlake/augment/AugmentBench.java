package org.visionlake.augment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.visionlake.testing.TestDatasets;

/**
 * Throughput of each transform on real 32x32x3 CIFAR-10 images, measured side by side in one run: median of five
 * rounds, and each rate as a ratio to the flip (a plain copy) so that machine load cancels out. Not a test; run its
 * main with the test class path.
 */
public final class AugmentBench {
    private AugmentBench() {}

    public static void main(String[] args) {
        List<HwcImage> images = new ArrayList<>();
        TestDatasets.cifarJpegs("train", 8, TestDatasets.CLASSES).forEach(jpeg -> images.add(jpeg.image()));
        Map<String, ImageTransform.Step> steps = new LinkedHashMap<>();
        steps.put("flip", new HorizontalFlip.Step());
        steps.put("crop pad 4", new RandomCrop.Step(4, 1, 7));
        steps.put("rotate 10deg bilinear", new RandomRotation.Step(10, 0));
        steps.put("brightness+contrast", new ColorJitter.Step(1.1, 0.9));
        AugmentPipeline pipeline = new AugmentPipeline(List.of(
                new RandomCrop(4, 1),
                new HorizontalFlip(0.5),
                new RandomRotation(10, 1, 0),
                new ColorJitter(.2, .2, 1)));

        Map<String, Double> rates = new LinkedHashMap<>();
        for (Map.Entry<String, ImageTransform.Step> e : steps.entrySet()) {
            rates.put(e.getKey(), median(round -> run(images, e.getValue()::apply)));
        }
        int[] copy = {0};
        rates.put(
                "full pipeline (draws included)",
                median(round -> run(images, image -> pipeline.augment(image, 1, "id", ++copy[0])
                        .image())));
        double base = rates.get("flip");
        rates.forEach((name, rate) -> System.out.printf("%-32s %12.0f img/s  %5.2fx flip%n", name, rate, rate / base));
    }

    private static double run(List<HwcImage> images, java.util.function.UnaryOperator<HwcImage> op) {
        int n = 200_000;
        long sink = 0;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sink += op.apply(images.get(i % images.size())).pixels()[i % 3072];
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return sink == Long.MIN_VALUE ? 0 : n / seconds;
    }

    private static double median(java.util.function.IntToDoubleFunction round) {
        double[] rates = new double[5];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = round.applyAsDouble(i);
        }
        Arrays.sort(rates);
        return rates[2];
    }
}
