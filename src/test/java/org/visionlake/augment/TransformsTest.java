package org.visionlake.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.visionlake.VisionLakeException;
import org.visionlake.testing.TestDatasets;

class TransformsTest {
    /** A one-channel image from row-major values. */
    private static HwcImage grey(int height, int width, int... values) {
        byte[] pixels = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            pixels[i] = (byte) values[i];
        }
        return new HwcImage(height, width, 1, pixels);
    }

    private static HwcImage realImage() {
        return TestDatasets.cifarJpegs("train", 1, List.of("cat")).get(0).image();
    }

    @Test
    void flip_mirrorsEachRowOfA2x3Image() {
        HwcImage image = grey(2, 3, 1, 2, 3, 4, 5, 6);

        assertThat(HorizontalFlip.flip(image)).isEqualTo(grey(2, 3, 3, 2, 1, 6, 5, 4));
    }

    @Test
    void flip_keepsTheChannelsOfAPixelTogether() {
        HwcImage rgb = new HwcImage(1, 2, 3, new byte[] {1, 2, 3, 4, 5, 6});

        assertThat(HorizontalFlip.flip(rgb).pixels()).containsExactly(4, 5, 6, 1, 2, 3);
    }

    @Test
    void crop_shiftsContentAndFillsZeros() {
        HwcImage image = grey(3, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9);

        // Padding 1, window at top=2, left=0: output (y, x) = input (y + 1, x - 1).
        HwcImage cropped = new RandomCrop.Step(1, 2, 0).apply(image);

        assertThat(cropped).isEqualTo(grey(3, 3, 0, 4, 5, 0, 7, 8, 0, 0, 0));
    }

    @Test
    void crop_atThePaddingOffsetIsIdentity() {
        HwcImage image = realImage();

        assertThat(new RandomCrop.Step(4, 4, 4).apply(image)).isEqualTo(image);
    }

    @Test
    void crop_beyondTheImageGivesZeros() {
        HwcImage image = grey(2, 2, 9, 9, 9, 9);

        assertThat(RandomCrop.crop(image, 0, 2)).isEqualTo(grey(2, 2, 0, 0, 0, 0));
    }

    @Test
    void cropDraw_staysWithinThePaddedImage() {
        RandomCrop crop = new RandomCrop(4, 1.0);
        for (int i = 0; i < 500; i++) {
            RandomCrop.Step step =
                    (RandomCrop.Step) crop.draw(new SeededRandom(i), 32, 32).orElseThrow();

            assertThat(step.top()).isBetween(0, 8);
            assertThat(step.left()).isBetween(0, 8);
        }
    }

    @Test
    void rotation_byZeroIsIdentity() {
        HwcImage image = realImage();

        assertThat(RandomRotation.rotate(image, 0, 0)).isEqualTo(image);
    }

    @Test
    void rotation_by90TurnsCounterClockwise() {
        HwcImage image = grey(3, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9);

        assertThat(RandomRotation.rotate(image, 90, 0)).isEqualTo(grey(3, 3, 3, 6, 9, 2, 5, 8, 1, 4, 7));
    }

    @Test
    void rotation_by180OfAnEvenImageIsExact() {
        HwcImage image = grey(2, 3, 1, 2, 3, 4, 5, 6);

        assertThat(RandomRotation.rotate(image, 180, 0)).isEqualTo(grey(2, 3, 6, 5, 4, 3, 2, 1));
    }

    @Test
    void rotation_bringsTheFillValueInAtTheCorners() {
        HwcImage image = HwcImage.filled(8, 8, 3, 200);

        HwcImage rotated = RandomRotation.rotate(image, 45, 10);

        assertThat(rotated.get(0, 0, 0)).isEqualTo(10);
        assertThat(rotated.get(0, 0, 2)).isEqualTo(10);
        assertThat(rotated.get(4, 4, 1)).isEqualTo(200);
        assertThat(rotated.pixels()).hasSize(8 * 8 * 3);
    }

    @Test
    void rotation_interpolatesBetweenNeighbours() {
        // A horizontal ramp turned by 30 degrees: the centre stays, and the top-middle pixel falls between
        // source pixels, so only a real bilinear blend gives a value that is none of the three source values.
        HwcImage ramp = grey(3, 3, 0, 100, 200, 0, 100, 200, 0, 100, 200);

        HwcImage rotated = RandomRotation.rotate(ramp, 30, 0);

        int centre = rotated.get(1, 1, 0);
        assertThat(centre).isEqualTo(100);
        assertThat(rotated.get(0, 1, 0)).isNotIn(0, 100, 200);
    }

    @Test
    void brightness_clampsAt255() {
        HwcImage image = grey(1, 3, 100, 200, 250);

        assertThat(ColorJitter.adjust(image, 1.5, 1.0)).isEqualTo(grey(1, 3, 150, 255, 255));
    }

    @Test
    void brightness_scalesDown() {
        assertThat(ColorJitter.adjust(grey(1, 2, 100, 201), 0.5, 1.0)).isEqualTo(grey(1, 2, 50, 101));
    }

    @Test
    void contrast_zeroGivesTheMeanAndOneIsIdentity() {
        HwcImage image = grey(1, 4, 0, 50, 100, 250);

        assertThat(ColorJitter.adjust(image, 1.0, 0.0)).isEqualTo(grey(1, 4, 100, 100, 100, 100));
        assertThat(ColorJitter.adjust(image, 1.0, 1.0)).isEqualTo(image);
    }

    @Test
    void contrast_stretchesAwayFromTheMeanAndClampsAtZero() {
        assertThat(ColorJitter.adjust(grey(1, 3, 0, 100, 200), 1.0, 2.0)).isEqualTo(grey(1, 3, 0, 100, 255));
    }

    @Test
    void transforms_keepTheShapeOfGreyAndColourImages() {
        HwcImage rgb = realImage();
        HwcImage grey = TestDatasets.grey(rgb);
        AugmentPipeline pipeline = new AugmentPipeline(List.of(
                new RandomCrop(4, 1), new HorizontalFlip(1), new RandomRotation(15, 1, 0), new ColorJitter(.4, .4, 1)));

        for (HwcImage image : List.of(rgb, grey)) {
            HwcImage out = pipeline.augment(image, 1, "x", 1).image();

            assertThat(List.of(out.height(), out.width(), out.channels()))
                    .containsExactly(image.height(), image.width(), image.channels());
            assertThat(out).isNotEqualTo(image);
        }
    }

    @Test
    void probability_outsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> new HorizontalFlip(1.5))
                .isInstanceOf(VisionLakeException.class)
                .hasMessageContaining("flip probability must be in [0, 1], found 1.5");
        assertThatThrownBy(() -> new RandomCrop(4, -0.1)).hasMessageContaining("crop probability");
        assertThatThrownBy(() -> new RandomRotation(10, Double.NaN, 0)).hasMessageContaining("rotate probability");
        assertThatThrownBy(() -> new ColorJitter(1.5, 0, 0.5)).hasMessageContaining("jitter brightness");
        assertThatThrownBy(() -> new RandomCrop(-1, 1)).hasMessageContaining("crop padding must be at least 0");
    }

    @Test
    void image_withTheWrongNumberOfBytesIsRefused() {
        assertThatThrownBy(() -> new HwcImage(2, 2, 3, new byte[11]))
                .isInstanceOf(VisionLakeException.class)
                .hasMessageContaining("needs 12 pixel bytes")
                .hasMessageContaining("has 11");
    }
}
