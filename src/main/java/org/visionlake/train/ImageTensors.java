package org.visionlake.train;

import java.io.Serializable;
import org.visionlake.VisionLakeException;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.models.Normalization;

/**
 * Turns the lake's HWC unsigned-byte pixels into the NCHW floats a network takes: resized to the network's input
 * (bilinear, so a 64x64 target feeds a 32x32 backbone and a 32x32 one a 224x224 zoo model), grey replicated to
 * three channels where needed, then normalised per channel with the backbone's statistics.
 *
 * <p>Resizing happens here, on the fly, rather than at ingest: one target dataset then serves backbones of any input
 * size, and the frozen path pays for it once because its features are cached.
 */
public final class ImageTensors implements Serializable {
    private static final long serialVersionUID = 1L;

    // Plain ints: the lake's Shape record is not Serializable, and this object travels to the executors.
    private final int th;
    private final int tw;
    private final int tc;
    private final float[] mean;
    private final float[] invStd;

    public ImageTensors(DatasetManifest.Shape target, Normalization normalization) {
        if (normalization.channels() != target.channels()) {
            throw new VisionLakeException(String.format(
                    "normalisation has %d channels but the network input has %d (%s)",
                    normalization.channels(), target.channels(), target));
        }
        this.th = target.height();
        this.tw = target.width();
        this.tc = target.channels();
        this.mean = new float[target.channels()];
        this.invStd = new float[target.channels()];
        for (int c = 0; c < mean.length; c++) {
            mean[c] = normalization.mean().get(c).floatValue();
            invStd[c] = (float) (1.0 / normalization.std().get(c));
        }
    }

    public DatasetManifest.Shape target() {
        return new DatasetManifest.Shape(th, tw, tc);
    }

    public int length() {
        return th * tw * tc;
    }

    /** Writes one image (HWC bytes of {@code h x w x c}) into {@code out} at {@code offset} as normalised CHW. */
    public void write(byte[] pixels, int h, int w, int c, float[] out, int offset) {
        if (pixels.length != h * w * c) {
            throw new VisionLakeException(String.format(
                    "image row holds %d pixel bytes but its shape %dx%dx%d needs %d",
                    pixels.length, h, w, c, h * w * c));
        }
        if (c != 1 && c != tc) {
            throw new VisionLakeException(String.format(
                    "image has %d channels but the network takes %d; only grey images are widened", c, tc));
        }
        for (int ch = 0; ch < tc; ch++) {
            int sourceChannel = c == 1 ? 0 : ch;
            for (int y = 0; y < th; y++) {
                for (int x = 0; x < tw; x++) {
                    float value = sample(pixels, h, w, c, sourceChannel, y, x, th, tw) / 255f;
                    out[offset + (ch * th + y) * tw + x] = (value - mean[ch]) * invStd[ch];
                }
            }
        }
    }

    /** Bilinear sample at pixel centres; the identity when the sizes match. */
    private static float sample(byte[] pixels, int h, int w, int c, int ch, int y, int x, int th, int tw) {
        if (h == th && w == tw) {
            return pixels[(y * w + x) * c + ch] & 0xFF;
        }
        double sy = Math.max(0, (y + 0.5) * h / th - 0.5);
        double sx = Math.max(0, (x + 0.5) * w / tw - 0.5);
        int y0 = Math.min((int) sy, h - 1);
        int x0 = Math.min((int) sx, w - 1);
        int y1 = Math.min(y0 + 1, h - 1);
        int x1 = Math.min(x0 + 1, w - 1);
        double fy = sy - y0;
        double fx = sx - x0;
        double top = at(pixels, w, c, ch, y0, x0) * (1 - fx) + at(pixels, w, c, ch, y0, x1) * fx;
        double bottom = at(pixels, w, c, ch, y1, x0) * (1 - fx) + at(pixels, w, c, ch, y1, x1) * fx;
        return (float) (top * (1 - fy) + bottom * fy);
    }

    private static int at(byte[] pixels, int w, int c, int ch, int y, int x) {
        return pixels[(y * w + x) * c + ch] & 0xFF;
    }
}
