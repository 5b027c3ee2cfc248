package org.visionlake.nn.kernels;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The layer of {@link NativeConvolution}: forward through the native {@code conv2d} op, backward through
 * {@code conv2d_bp}, both writing straight into DL4J's workspace arrays and gradient views.
 */
public class NativeConvolutionLayer extends ConvolutionLayer {
    private static final int NCHW = 0;

    /** libnd4j weight layout 1: [out, in, kH, kW], the layout of DL4J's convolution parameters. */
    private static final int WEIGHTS_OIHW = 1;

    public NativeConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray z = convolve(training, workspaceMgr);
        return layerConf().getActivationFn().getActivation(z, training);
    }

    @Override
    protected Pair<INDArray, INDArray> preOutput(
            boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        return new Pair<>(convolve(training, workspaceMgr), null);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray weights = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        INDArray delta = outputGradient(epsilon, workspaceMgr);

        INDArray epsilonNext =
                workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c');
        INDArray weightGrad = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        // The builder's addInputs/addOutputs replace, not append: each list is given whole.
        DynamicCustomOp.DynamicCustomOpsBuilder op =
                DynamicCustomOp.builder("conv2d_bp").addIntegerArguments(intArguments());
        INDArray biasGrad = null;
        if (hasBias()) {
            biasGrad = gradientViews.get(ConvolutionParamInitializer.BIAS_KEY);
            op.addInputs(input, weights, bias(workspaceMgr, true), delta)
                    .addOutputs(epsilonNext, weightGrad, biasGrad.reshape(biasGrad.length()));
        } else {
            op.addInputs(input, weights, delta).addOutputs(epsilonNext, weightGrad);
        }
        Nd4j.exec(op.build());

        Gradient gradient = new DefaultGradient();
        if (biasGrad != null) {
            gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasGrad);
        }
        gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGrad, 'c');
        weightNoiseParams.clear();
        return new Pair<>(gradient, backpropDropOutIfPresent(epsilonNext));
    }

    /** Gradient at the convolution's output: epsilon itself for the identity activation the networks use. */
    private INDArray outputGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        IActivation activation = layerConf().getActivationFn();
        INDArray delta = epsilon;
        if (!(activation instanceof ActivationIdentity)) {
            delta = activation.backprop(convolve(true, workspaceMgr), epsilon).getFirst();
        }
        return delta.ordering() == 'c' ? delta : delta.dup('c');
    }

    private INDArray convolve(boolean training, LayerWorkspaceMgr workspaceMgr) {
        validateInput();
        INDArray weights = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, training, workspaceMgr);
        int[] outSize = outputSize();
        INDArray out = workspaceMgr.createUninitialized(
                ArrayType.ACTIVATIONS, weights.dataType(), input.size(0), weights.size(0), outSize[0], outSize[1]);
        DynamicCustomOp.DynamicCustomOpsBuilder op =
                DynamicCustomOp.builder("conv2d").addOutputs(out).addIntegerArguments(intArguments());
        if (hasBias()) {
            op.addInputs(input, weights, bias(workspaceMgr, training));
        } else {
            op.addInputs(input, weights);
        }
        Nd4j.exec(op.build());
        return out;
    }

    private INDArray bias(LayerWorkspaceMgr workspaceMgr, boolean training) {
        INDArray bias = getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, training, workspaceMgr);
        return bias.reshape(bias.length());
    }

    private int[] outputSize() {
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
        int[] padding = convolutionMode == ConvolutionMode.Same ? null : c.getPadding();
        return ConvolutionUtils.getOutputSize(
                input, c.getKernelSize(), c.getStride(), padding, convolutionMode, c.getDilation());
    }

    /** kH, kW, sH, sW, pH, pW, dH, dW, same mode, data format, weight format: the conv2d ops' integer args. */
    private int[] intArguments() {
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
        int[] k = c.getKernelSize();
        int[] s = c.getStride();
        int[] p = c.getPadding();
        int[] d = c.getDilation();
        boolean same = convolutionMode == ConvolutionMode.Same;
        return new int[] {
            k[0], k[1], s[0], s[1], same ? 0 : p[0], same ? 0 : p[1], d[0], d[1], same ? 1 : 0, NCHW, WEIGHTS_OIHW
        };
    }

    private void validateInput() {
        if (input.rank() != 4 || input.size(1) != layerConf().getNIn()) {
            throw new IllegalArgumentException("layer " + layerId() + ": expected input [batch, "
                    + layerConf().getNIn() + ", height, width] (NCHW), found "
                    + java.util.Arrays.toString(input.shape()));
        }
    }
}
