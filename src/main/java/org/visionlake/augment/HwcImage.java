package org.visionlake.augment;

import java.util.Arrays;
import org.visionlake.VisionLakeException;

/**
 * An image as the lake stores it: {@code height x width x channels} unsigned bytes, row-major, channels last (HWC).
 * Transforms never change the shape, so an augmented dataset has the shape of its source.
 */
public record HwcImage(int height, int width, int channels, byte[] pixels) {
    public HwcImage {
        if (height < 1 || width < 1 || channels < 1) {
            throw new VisionLakeException(String.format(
                    "image shape %dx%dx%d is not valid: expected height, width and channels of at least 1",
                    height, width, channels));
        }
        long expected = (long) height * width * channels;
        if (pixels == null || pixels.length != expected) {
            throw new VisionLakeException(String.format(
                    "image %dx%dx%d needs %d pixel bytes (height*width*channels) but has %s; the row is corrupt,"
                            + " re-ingest the dataset",
                    height, width, channels, expected, pixels == null ? "none" : pixels.length));
        }
    }

    /** An all-{@code value} image of the given shape. */
    public static HwcImage filled(int height, int width, int channels, int value) {
        byte[] pixels = new byte[height * width * channels];
        Arrays.fill(pixels, (byte) value);
        return new HwcImage(height, width, channels, pixels);
    }

    /** The sample at row {@code y}, column {@code x}, channel {@code c} as 0..255. */
    public int get(int y, int x, int c) {
        return pixels[index(y, x, c)] & 0xFF;
    }

    public int index(int y, int x, int c) {
        return (y * width + x) * channels + c;
    }

    /** A new, zeroed image of the same shape. */
    public HwcImage blank() {
        return new HwcImage(height, width, channels, new byte[pixels.length]);
    }

    /** Rounds and clamps {@code value} to an unsigned byte. */
    static byte clampToByte(double value) {
        long rounded = Math.round(value);
        return (byte) (rounded < 0 ? 0 : rounded > 255 ? 255 : rounded);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HwcImage o
                && o.height == height
                && o.width == width
                && o.channels == channels
                && Arrays.equals(o.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * height + width) + channels) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "HwcImage[" + height + "x" + width + "x" + channels + "]";
    }
}
