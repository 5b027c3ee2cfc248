package org.visionlake.ingest;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.visionlake.VisionLakeException;

/**
 * How every image is turned into the dataset's fixed shape; recorded in the manifest so a dataset says how it was
 * made.
 *
 * @param height target height in pixels
 * @param width target width in pixels
 * @param channels 3 (RGB) or 1 (grey, ITU-R BT.601 luma)
 * @param resize aspect-ratio policy
 * @param background RGB (0xRRGGBB) that alpha is composited over and that {@link ResizePolicy#PAD} fills with
 * @param maxPixels declared width x height above which an image is refused before decoding
 */
public record Preprocessing(int height, int width, int channels, ResizePolicy resize, int background, long maxPixels)
        implements Serializable {

    public Preprocessing {
        if (height < 1 || width < 1 || height > 4096 || width > 4096) {
            throw new VisionLakeException(String.format(
                    "invalid image size %dx%d: expected height and width between 1 and 4096, e.g. --image-size 32",
                    height, width));
        }
        if (channels != 1 && channels != 3) {
            throw new VisionLakeException("invalid --channels " + channels + ": expected 3 (RGB) or 1 (grey)");
        }
        if (maxPixels < 1) {
            throw new VisionLakeException("invalid --max-pixels " + maxPixels + ": expected a positive number");
        }
    }

    /** Parses {@code HxW} or {@code N} (square). */
    public static int[] parseSize(String text) {
        String[] parts = text.trim().toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            if (parts.length == 1) {
                int n = Integer.parseInt(parts[0]);
                return new int[] {n, n};
            }
            if (parts.length == 2) {
                return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
            }
        } catch (NumberFormatException e) {
            // reported below with the expected form
        }
        throw new VisionLakeException(
                "invalid --image-size '" + text + "': expected HEIGHTxWIDTH (e.g. 32x32) or one number (e.g. 64)");
    }

    public static int parseColor(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        switch (t) {
            case "white":
                return 0xFFFFFF;
            case "black":
                return 0x000000;
            default:
                try {
                    return Integer.parseInt(t.startsWith("#") ? t.substring(1) : t, 16) & 0xFFFFFF;
                } catch (NumberFormatException e) {
                    throw new VisionLakeException(
                            "invalid --background '" + text + "': expected white, black or a hex RGB like #808080");
                }
        }
    }

    /** The settings as manifest entries. */
    public Map<String, Object> describe() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("height", height);
        map.put("width", width);
        map.put("channels", channels);
        map.put("color", channels == 3 ? "rgb" : "grey");
        map.put("resize", resize.name().toLowerCase(java.util.Locale.ROOT));
        map.put("background", String.format("#%06x", background));
        map.put("maxPixels", maxPixels);
        map.put("exifOrientation", "applied");
        map.put("layout", "HWC uint8");
        return map;
    }
}
