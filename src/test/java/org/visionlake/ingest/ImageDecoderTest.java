package org.visionlake.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {
    private static final Color RED = new Color(220, 20, 30);
    private static final Color BLUE = new Color(10, 40, 230);

    private static ImageDecoder decoder(int h, int w, int channels, ResizePolicy resize) {
        return new ImageDecoder(new Preprocessing(h, w, channels, resize, 0xFFFFFF, 50_000_000L));
    }

    private static int[] pixel(byte[] hwc, int width, int x, int y) {
        int i = (y * width + x) * 3;
        return new int[] {hwc[i] & 0xFF, hwc[i + 1] & 0xFF, hwc[i + 2] & 0xFF};
    }

    private static void assertColor(int[] rgb, Color expected, int tolerance) {
        assertThat(rgb[0])
                .as("red of %s", java.util.Arrays.toString(rgb))
                .isCloseTo(expected.getRed(), org.assertj.core.data.Offset.offset(tolerance));
        assertThat(rgb[1])
                .as("green of %s", java.util.Arrays.toString(rgb))
                .isCloseTo(expected.getGreen(), org.assertj.core.data.Offset.offset(tolerance));
        assertThat(rgb[2])
                .as("blue of %s", java.util.Arrays.toString(rgb))
                .isCloseTo(expected.getBlue(), org.assertj.core.data.Offset.offset(tolerance));
    }

    @Test
    void decode_everyFormat_givesTargetShapeInRgbOrder() throws Exception {
        BufferedImage image = Fixtures.solid(40, 30, RED);
        ImageDecoder decoder = decoder(8, 8, 3, ResizePolicy.SQUASH);

        for (byte[] bytes : new byte[][] {
            Fixtures.encode(image, "png"),
            Fixtures.encode(image, "jpeg"),
            Fixtures.encode(image, "bmp"),
            Fixtures.gif(image)
        }) {
            byte[] pixels = decoder.decode(bytes);
            assertThat(pixels).hasSize(8 * 8 * 3);
            assertColor(pixel(pixels, 8, 4, 4), RED, 40); // GIF quantises to its palette, JPEG is lossy
        }
    }

    @Test
    void decode_greyChannels_givesBt601Luma() throws Exception {
        byte[] pixels = decoder(4, 4, 1, ResizePolicy.SQUASH).decode(Fixtures.encode(Fixtures.solid(4, 4, RED), "png"));

        assertThat(pixels).hasSize(16);
        assertThat(pixels[5] & 0xFF).isEqualTo((299 * 220 + 587 * 20 + 114 * 30 + 500) / 1000);
    }

    @Test
    void decode_brokenInputs_areRejectedWithTheirReason() throws Exception {
        ImageDecoder decoder = decoder(8, 8, 3, ResizePolicy.CROP);
        byte[] jpeg = Fixtures.encode(Fixtures.noise(64, 64, 1), "jpeg");

        assertReason(decoder, new byte[0], QuarantineReason.EMPTY_FILE);
        assertReason(decoder, Fixtures.truncated(jpeg), QuarantineReason.TRUNCATED);
        assertReason(
                decoder,
                Fixtures.truncated(Fixtures.encode(Fixtures.noise(64, 64, 2), "png")),
                QuarantineReason.TRUNCATED);
        assertReason(decoder, Fixtures.randomBytes(500, 3), QuarantineReason.NOT_AN_IMAGE);
        assertReason(
                decoder,
                "just some notes\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                QuarantineReason.NOT_AN_IMAGE);
        byte[] garbledJpeg = Fixtures.randomBytes(400, 4);
        garbledJpeg[0] = (byte) 0xFF;
        garbledJpeg[1] = (byte) 0xD8;
        garbledJpeg[2] = (byte) 0xFF;
        assertThatThrownBy(() -> decoder.decode(garbledJpeg)).isInstanceOf(Rejected.class);

        // The decoder is still usable after failures: readers are reset, not left holding a broken stream.
        assertThat(decoder.decode(jpeg)).hasSize(8 * 8 * 3);
    }

    private static void assertReason(ImageDecoder decoder, byte[] bytes, QuarantineReason reason) {
        assertThatThrownBy(() -> decoder.decode(bytes))
                .isInstanceOf(Rejected.class)
                .satisfies(e ->
                        assertThat(((Rejected) e).reason()).as(e.getMessage()).isEqualTo(reason));
    }

    @Test
    void decode_hugeDeclaredSize_isRefusedFromTheHeader() throws Exception {
        byte[] bomb = Fixtures.pngHeaderOnly(100_000, 100_000);

        assertThatThrownBy(() -> decoder(8, 8, 3, ResizePolicy.CROP).decode(bomb))
                .isInstanceOf(Rejected.class)
                .hasMessageContaining("100000x100000")
                .satisfies(e -> assertThat(((Rejected) e).reason()).isEqualTo(QuarantineReason.TOO_MANY_PIXELS));
    }

    @Test
    void decode_cmykJpeg_isDecodedByTheFullReader() throws Exception {
        byte[] cmyk = Fixtures.cmykJpeg(16, 16);
        assertThat(JpegHeader.needsFullReader(cmyk)).isTrue();

        byte[] pixels = decoder(8, 8, 3, ResizePolicy.CROP).decode(cmyk);

        assertThat(pixels).hasSize(8 * 8 * 3);
        int[] rgb = pixel(pixels, 8, 4, 4);
        // Uniform ink gives a uniform colour; not the grey fill a reader leaves when it gives up.
        assertThat(pixel(pixels, 8, 0, 0)).containsExactly(rgb);
    }

    @Test
    void decode_16bitPng_scalesToEightBitsWithoutWrapping() throws Exception {
        byte[] png = Fixtures.png16(6, 6, 0xFFFF, 0x8080, 0x00FF);

        int[] rgb = pixel(decoder(6, 6, 3, ResizePolicy.CROP).decode(png), 6, 3, 3);

        // Scaled: 0x00ff / 65535 * 255 rounds to 1. Keeping the low byte instead would give 255, 128, 255.
        assertThat(rgb).containsExactly(255, 128, 1);
    }

    @Test
    void decode_paletteWithAlpha_isCompositedOverTheBackground() throws Exception {
        byte[] pixels = decoder(8, 8, 3, ResizePolicy.SQUASH).decode(Fixtures.paletteAlphaPng(8, 8));

        assertThat(pixel(pixels, 8, 1, 4)).containsExactly(255, 255, 255); // transparent -> white background
        assertThat(pixel(pixels, 8, 6, 4)).containsExactly(255, 0, 0);
    }

    @Test
    void decode_exifOrientation6_turnsTheImageAQuarterClockwise() throws Exception {
        // Stored 40 wide x 20 high, left red, right blue; displayed 20 wide x 40 high with red on top.
        byte[] jpeg = Fixtures.withExifOrientation(Fixtures.encode(Fixtures.halves(40, 20, RED, BLUE), "jpeg"), 6);
        assertThat(ExifOrientation.read(jpeg)).isEqualTo(6);

        byte[] pixels = decoder(40, 20, 3, ResizePolicy.SQUASH).decode(jpeg);

        assertColor(pixel(pixels, 20, 10, 5), RED, 40);
        assertColor(pixel(pixels, 20, 10, 34), BLUE, 40);
    }

    @Test
    void decode_resizePolicies_cropPadAndSquashAsDeclared() throws Exception {
        byte[] wide = Fixtures.encode(Fixtures.halves(40, 20, RED, BLUE), "png");

        byte[] crop = decoder(10, 10, 3, ResizePolicy.CROP).decode(wide);
        byte[] pad = decoder(10, 10, 3, ResizePolicy.PAD).decode(wide);
        byte[] squash = decoder(10, 10, 3, ResizePolicy.SQUASH).decode(wide);

        // Crop keeps the middle 20x20 of the image: still red on the left, blue on the right, no border.
        assertColor(pixel(crop, 10, 1, 0), RED, 2);
        assertColor(pixel(crop, 10, 8, 9), BLUE, 2);
        // Pad fits 10x5 in the middle and fills the top and bottom with the white background.
        assertThat(pixel(pad, 10, 5, 0)).containsExactly(255, 255, 255);
        assertColor(pixel(pad, 10, 1, 5), RED, 2);
        assertThat(pixel(pad, 10, 5, 9)).containsExactly(255, 255, 255);
        // Squash fills the whole square with the image.
        assertColor(pixel(squash, 10, 1, 0), RED, 2);
        assertColor(pixel(squash, 10, 8, 9), BLUE, 2);
    }

    @Test
    void decode_largePhoto_isSubsampledWhileDecoding() throws Exception {
        byte[] photo = Fixtures.encode(Fixtures.halves(4000, 3000, RED, BLUE), "jpeg");
        ImageDecoder decoder = decoder(64, 64, 3, ResizePolicy.CROP);

        byte[] pixels = decoder.decode(photo);

        assertThat(pixels).hasSize(64 * 64 * 3);
        // 12 megapixels in the file, at most a few hundred pixels a side ever decoded.
        assertThat(decoder.lastDecodedPixels()).isLessThan(200L * 200L);
        assertColor(pixel(pixels, 64, 5, 32), RED, 40);
    }
}
