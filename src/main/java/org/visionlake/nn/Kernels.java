package org.visionlake.nn;

import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.activations.Activation;
import org.visionlake.nn.kernels.NativeBatchNormalization;
import org.visionlake.nn.kernels.NativeConvolution;
import org.visionlake.nn.kernels.NativeRelu;

/**
 * Which layer implementations a network is built from. Both give the same parameters, the same outputs and the same
 * gradients (the parity tests hold them to float tolerance); they differ only in speed.
 */
public enum Kernels {
    /** ND4J's native convolution ops (oneDNN on x86-64) and per-channel ops: the fast path, the builders' default. */
    NATIVE,

    /** DL4J's own layer implementations (im2col + gemm): the reference the native path is checked against. */
    REFERENCE;

    ConvolutionLayer conv(int inChannels, int outChannels, int kernel, int stride) {
        ConvolutionLayer.Builder builder = this == NATIVE
                ? new NativeConvolution.Builder(kernel, kernel)
                : new ConvolutionLayer.Builder(kernel, kernel);
        // No bias: the batch norm that follows would cancel it.
        return builder.stride(stride, stride)
                .nIn(inChannels)
                .nOut(outChannels)
                .hasBias(false)
                .activation(Activation.IDENTITY)
                .build();
    }

    ActivationLayer relu() {
        return this == NATIVE && !Boolean.getBoolean("dl4jrelu")
                ? new NativeRelu()
                : new ActivationLayer(Activation.RELU);
    }

    BatchNormalization batchNorm(int channels) {
        BatchNormalization reference =
                new BatchNormalization.Builder().nOut(channels).build();
        return this == NATIVE ? NativeBatchNormalization.of(reference) : reference;
    }
}
