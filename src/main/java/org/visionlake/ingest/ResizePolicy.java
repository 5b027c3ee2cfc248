package org.visionlake.ingest;

import org.visionlake.VisionLakeException;

/** What happens when an image's aspect ratio differs from the target's. */
public enum ResizePolicy {
    /** Stretch to the target, distorting the aspect ratio. */
    SQUASH,
    /** Scale to cover the target and cut the overhang evenly from both sides (the usual choice for CNNs). */
    CROP,
    /** Scale to fit inside the target and fill the borders with the background colour. */
    PAD;

    public static ResizePolicy parse(String text) {
        for (ResizePolicy policy : values()) {
            if (policy.name().equalsIgnoreCase(text)) {
                return policy;
            }
        }
        throw new VisionLakeException("unknown resize policy '" + text + "': expected squash, crop or pad");
    }
}
