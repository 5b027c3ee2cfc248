package org.visionlake.nn.kernels;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A 2D convolution layer configuration whose layer runs ND4J's native {@code conv2d} / {@code conv2d_bp} ops
 * (oneDNN where the native build has it) instead of DL4J's im2col + gemm implementation.
 *
 * <p>It is a {@link ConvolutionLayer} in every other respect: same parameters, same parameter initialiser and
 * layout ({@code W} as [out, in, kH, kW], optional {@code b}), same JSON form apart from the class name, so
 * ModelSerializer saves it, Spark parameter averaging sends it to executors, and a network can switch between
 * this and the reference layer with the same weights.
 */
public class NativeConvolution extends ConvolutionLayer {
    /** For JSON deserialisation. */
    public NativeConvolution() {}

    protected NativeConvolution(Builder builder) {
        super(builder);
    }

    @Override
    public Layer instantiate(
            NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners,
            int layerIndex,
            INDArray layerParamsView,
            boolean initializeParams,
            DataType networkDataType) {
        LayerValidation.assertNInNOutSet("NativeConvolution", getLayerName(), layerIndex, getNIn(), getNOut());
        if (getCnn2dDataFormat() != CNN2DFormat.NCHW) {
            throw new IllegalStateException("layer " + getLayerName() + ": native convolution supports NCHW only,"
                    + " found " + getCnn2dDataFormat() + "; use the reference ConvolutionLayer for NHWC");
        }
        return LayerWiring.wire(
                new NativeConvolutionLayer(conf, networkDataType),
                this,
                conf,
                trainingListeners,
                layerIndex,
                layerParamsView,
                initializeParams);
    }

    @Override
    public NativeConvolution clone() {
        return (NativeConvolution) super.clone();
    }

    /** Same options as {@link ConvolutionLayer.Builder}; builds the native variant. */
    public static class Builder extends ConvolutionLayer.Builder {
        public Builder(int... kernelSize) {
            super(kernelSize);
        }

        @Override
        @SuppressWarnings("unchecked")
        public NativeConvolution build() {
            ConvolutionUtils.validateConvolutionModePadding(convolutionMode, padding);
            ConvolutionUtils.validateCnnKernelStridePadding(kernelSize, stride, padding);
            return new NativeConvolution(this);
        }
    }
}
