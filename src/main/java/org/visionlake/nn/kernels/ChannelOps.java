package org.visionlake.nn.kernels;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-channel arithmetic on NCHW activations, built from the ND4J ops that are fast on this layout.
 *
 * <p>Measured at batch 64, 16 channels at 32x32 (1 M values) on 2 cores: a sum over (H, W) then over the batch takes
 * 0.55 ms where one reduction over (N, H, W) takes 1.1 ms; {@code biasadd} shifts channels in 0.15 ms; scaling the
 * tensor as [N*C, H*W] rows by a per-row column takes 0.1 ms, where a [1, C, 1, 1] broadcast takes 0.4-0.7 ms and
 * DL4J's broadcast along dimension 1 3.4 ms. The native {@code batchnorm} op spends 1.8 ms and {@code batchnorm_bp}
 * 6.5 ms on the same tensor.
 */
final class ChannelOps {
    private static final int[] SPATIAL_AXES = {2, 3};

    private ChannelOps() {}

    /** Sum of each channel over batch, height and width; the sum over the batch in double precision. */
    static double[] channelSums(INDArray nchw) {
        INDArray perImage = Nd4j.create(nchw.dataType(), nchw.size(0), nchw.size(1));
        Nd4j.exec(DynamicCustomOp.builder("reduce_sum")
                .addInputs(nchw)
                .addOutputs(perImage)
                .addIntegerArguments(SPATIAL_AXES)
                .addBooleanArguments(false)
                .build());
        double[] values = perImage.reshape(perImage.length()).toDoubleVector();
        int channels = Math.toIntExact(nchw.size(1));
        double[] sums = new double[channels];
        for (int i = 0; i < values.length; i++) {
            sums[i % channels] += values[i];
        }
        return sums;
    }

    /** {@code out = x + shift[c]}; {@code out} may be {@code x}. */
    static void shift(INDArray x, double[] shift, INDArray out) {
        Nd4j.exec(DynamicCustomOp.builder("biasadd")
                .addInputs(x, ChannelMath.array(shift, x.dataType()))
                .addOutputs(out)
                .addBooleanArguments(true)
                .build());
    }

    /** {@code out = x * scale[c]}; {@code out} may be {@code x}. All three are c-ordered NCHW without gaps. */
    static void scale(INDArray x, double[] scale, INDArray out) {
        long rows = x.size(0) * x.size(1);
        long rowLength = x.size(2) * x.size(3);
        Nd4j.exec(DynamicCustomOp.builder("multiply")
                .addInputs(x.reshape(rows, rowLength), perImageRows(scale, x.size(0), x.dataType()))
                .addOutputs(out.reshape(rows, rowLength))
                .build());
    }

    /** The per-channel values repeated for every image: a [N*C, 1] column, one value per (image, channel) row. */
    private static INDArray perImageRows(double[] perChannel, long images, DataType type) {
        double[] rows = new double[Math.toIntExact(images * perChannel.length)];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = perChannel[i % perChannel.length];
        }
        return ChannelMath.array(rows, type).reshape(rows.length, 1);
    }

    /** Elementwise {@code out = a * b}. */
    static void multiply(INDArray a, INDArray b, INDArray out) {
        Nd4j.exec(new MulOp(a, b, out));
    }

    /** Elementwise {@code out = a + b}. */
    static void add(INDArray a, INDArray b, INDArray out) {
        Nd4j.exec(new AddOp(a, b, out));
    }
}
