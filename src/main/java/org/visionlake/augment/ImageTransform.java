package org.visionlake.augment;

import java.io.Serializable;
import java.util.Map;
import java.util.Optional;

/**
 * One kind of random augmentation: its settings (probability and ranges), and how it draws the concrete parameters
 * for one image. The drawn {@link Step} is what is applied and what is written to the row's lineage.
 */
public interface ImageTransform extends Serializable {
    /** Short name; also keys the random stream, so renaming a transform changes its draws. */
    String name();

    /** False when the settings make the transform a no-op (probability 0, zero range); it then draws nothing. */
    boolean enabled();

    /** The settings as they go into the dataset manifest's lineage. */
    Map<String, Object> settings();

    /** Draws whether to apply and with which parameters; empty when this image skips the transform. */
    Optional<Step> draw(SeededRandom random, int height, int width);

    /** A transform with its parameters drawn: a pure function of the image. */
    interface Step extends Serializable {
        String op();

        /** The drawn parameters, in a fixed order, for the row's lineage JSON. */
        Map<String, Object> parameters();

        HwcImage apply(HwcImage image);
    }
}
