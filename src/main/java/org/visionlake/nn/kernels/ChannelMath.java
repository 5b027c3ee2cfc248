package org.visionlake.nn.kernels;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Arithmetic on per-channel values (at most a few hundred) in plain Java doubles: each ND4J op on such a vector
 * costs about 25 us of fixed overhead, more than the arithmetic, and a batch norm layer needs dozens of them.
 */
final class ChannelMath {
    private ChannelMath() {}

    static double[] times(double[] values, double factor) {
        double[] result = new double[values.length];
        for (int c = 0; c < values.length; c++) {
            result[c] = values[c] * factor;
        }
        return result;
    }

    static double[] times(double[] a, double[] b) {
        double[] result = new double[a.length];
        for (int c = 0; c < a.length; c++) {
            result[c] = a[c] * b[c];
        }
        return result;
    }

    /** A [length] ND4J vector of the values, in {@code type}. */
    static INDArray array(double[] values, DataType type) {
        if (type != DataType.FLOAT) {
            return Nd4j.createFromArray(values).castTo(type);
        }
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return Nd4j.createFromArray(floats);
    }
}
