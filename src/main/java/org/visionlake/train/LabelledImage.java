package org.visionlake.train;

import java.io.Serializable;

/**
 * One training image on its way from Parquet to a minibatch: its stable index in the split, its label and its HWC
 * pixel bytes. A plain mutable class (not a record) so that Kryo can rebuild it when Spark spills or shuffles it.
 */
public final class LabelledImage implements Serializable {
    private static final long serialVersionUID = 1L;

    public long index;
    public int label;
    public byte[] pixels;

    public LabelledImage() {}

    public LabelledImage(long index, int label, byte[] pixels) {
        this.index = index;
        this.label = label;
        this.pixels = pixels;
    }
}
