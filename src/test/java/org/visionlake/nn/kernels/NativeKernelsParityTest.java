package org.visionlake.nn.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.visionlake.nn.CifarNetworks;
import org.visionlake.nn.Kernels;
import org.visionlake.nn.NetworkSpec;

/**
 * The native kernels must be a drop-in replacement for DL4J's layers: same outputs, same gradients, same parameters
 * after an SGD step, on the same weights; and a saved native model must load and predict identically.
 */
class NativeKernelsParityTest {
    // 16x16 with one block per stage still has every layer kind: stride-2 convs, 1x1 projections, both BN modes.
    private static final NetworkSpec SPEC = NetworkSpec.cifar(16, 16, 3, 10, 1, 42);
    private static final int BATCH = 4;

    /** Float kernels sum in a different order (oneDNN blocks vs im2col + gemm); 1e-3 of the scale is ample. */
    private static final double RELATIVE_TOLERANCE = 1e-3;

    @Test
    void residualNet_nativeMatchesReferenceInOutputsGradientsAndOneStep() {
        assertParity(true);
    }

    @Test
    void plainNet_nativeMatchesReferenceInOutputsGradientsAndOneStep() {
        assertParity(false);
    }

    @Test
    void nativeBuilders_useTheNativeLayersAndReferenceBuildersDoNot() {
        ComputationGraph fast = CifarNetworks.residual(SPEC);
        ComputationGraph reference = CifarNetworks.residual(SPEC, Kernels.REFERENCE);

        assertThat(fast.getLayer("s2b1_conv1")).isInstanceOf(NativeConvolutionLayer.class);
        assertThat(fast.getLayer("s2b1_proj")).isInstanceOf(NativeConvolutionLayer.class);
        assertThat(fast.getLayer("s2b1_bn1")).isInstanceOf(NativeBatchNormalizationLayer.class);
        assertThat(fast.getLayer("s2b1_relu1")).isInstanceOf(NativeReluLayer.class);
        assertThat(reference.getLayer("s2b1_conv1")).isNotInstanceOf(NativeConvolutionLayer.class);
        assertThat(reference.getLayer("s2b1_bn1")).isNotInstanceOf(NativeBatchNormalizationLayer.class);
        assertThat(reference.getLayer("s2b1_relu1")).isNotInstanceOf(NativeReluLayer.class);
        assertThat(fast.numParams()).isEqualTo(reference.numParams());
    }

    @Test
    void nativeModel_savesAndLoadsWithModelSerializerAndPredictsIdentically(@TempDir Path dir) throws Exception {
        ComputationGraph net = CifarNetworks.residual(SPEC);
        INDArray[] batch = batch(3);
        net.fit(new INDArray[] {batch[0]}, new INDArray[] {batch[1]});
        File file = dir.resolve("resnet.zip").toFile();

        ModelSerializer.writeModel(net, file, true);
        ComputationGraph loaded = ModelSerializer.restoreComputationGraph(file, true);

        assertThat(loaded.getLayer("s1b1_conv1")).isInstanceOf(NativeConvolutionLayer.class);
        assertThat(loaded.getLayer("s1b1_bn1")).isInstanceOf(NativeBatchNormalizationLayer.class);
        assertThat(loaded.getConfiguration().toJson())
                .isEqualTo(net.getConfiguration().toJson());
        assertThat(loaded.params()).isEqualTo(net.params());
        assertThat(loaded.outputSingle(batch[0])).isEqualTo(net.outputSingle(batch[0]));
    }

    @Test
    void nativeConfiguration_survivesTheJsonRoundTripSparkUses() {
        ComputationGraphConfiguration conf = CifarNetworks.cifarGraph(SPEC, true);

        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());

        assertThat(back.toJson()).isEqualTo(conf.toJson());
        ComputationGraph net = new ComputationGraph(back);
        net.init();
        assertThat(net.getLayer("stem_conv")).isInstanceOf(NativeConvolutionLayer.class);
    }

    private static void assertParity(boolean residual) {
        ComputationGraph reference = build(residual, Kernels.REFERENCE);
        ComputationGraph fast = build(residual, Kernels.NATIVE);
        fast.setParams(reference.params().dup());
        INDArray[] batch = batch(11);

        assertClose("inference output", fast.outputSingle(batch[0]), reference.outputSingle(batch[0]));
        Map<String, INDArray> fastActivations = fast.feedForward(batch[0], true);
        Map<String, INDArray> referenceActivations = reference.feedForward(batch[0], true);
        for (String vertex : referenceActivations.keySet()) {
            assertClose(
                    "training activations of " + vertex, fastActivations.get(vertex), referenceActivations.get(vertex));
        }

        assertClose("gradient", gradient(fast, batch), gradient(reference, batch));

        INDArray before = reference.params().dup();
        fast.fit(new INDArray[] {batch[0]}, new INDArray[] {batch[1]});
        reference.fit(new INDArray[] {batch[0]}, new INDArray[] {batch[1]});
        assertClose("parameters after one SGD step", fast.params(), reference.params());
        // The step must have moved the weights, or the comparison above proves nothing.
        assertThat(reference.params()).isNotEqualTo(before);
        // Inference now runs on running statistics that the step moved away from (0, 1).
        assertClose("inference output after a step", fast.outputSingle(batch[0]), reference.outputSingle(batch[0]));
    }

    /**
     * Activations far from zero with a small spread (mean 30, std 0.5) are where a variance taken as E[x^2] - mean^2
     * cancels in float; the native batch norm must still match DL4J's, in training, in its gradients and in inference
     * on the running statistics.
     */
    @Test
    void batchNorm_matchesReferenceOnOffsetActivationsAtRealisticSize() {
        assertBatchNormParity(true);
    }

    /** The same with the running variance stored as a variance instead of DL4J's default log10 std. */
    @Test
    void batchNorm_withThePlainVarianceParameter_matchesReference() {
        assertBatchNormParity(false);
    }

    /** Closed units (x <= 0, including exactly 0) pass no gradient; open units pass it unchanged. */
    @Test
    void relu_forwardAndBackwardMatchDl4jOnBothSidesOfZero() {
        INDArray x =
                Nd4j.createFromArray(new float[] {-1f, 0f, 2f, -3f, 0.5f, 7f}).reshape(1, 6, 1, 1);
        INDArray upstream =
                Nd4j.createFromArray(new float[] {1f, 1f, 1f, 4f, -2f, 3f}).reshape(1, 6, 1, 1);
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
        NeuralNetConfiguration conf =
                new NeuralNetConfiguration.Builder().layer(new NativeRelu()).build();
        NativeReluLayer relu = (NativeReluLayer) conf.getLayer().instantiate(conf, null, 0, null, true, DataType.FLOAT);

        relu.setInput(x, noWorkspaces);
        INDArray out = relu.activate(true, noWorkspaces);
        INDArray dx = relu.backpropGradient(upstream, noWorkspaces).getSecond();

        assertThat(out.reshape(6).toFloatVector()).containsExactly(0f, 0f, 2f, 0f, 0.5f, 7f);
        assertThat(dx.reshape(6).toFloatVector()).containsExactly(0f, 0f, 1f, 0f, -2f, 3f);
    }

    private static void assertBatchNormParity(boolean useLogStd) {
        ComputationGraph reference = batchNormGraph(false, useLogStd);
        ComputationGraph fast = batchNormGraph(true, useLogStd);
        fast.setParams(reference.params().dup());
        Nd4j.getRandom().setSeed(5);
        INDArray features = Nd4j.randn(DataType.FLOAT, 16, 16, 12, 12).muli(0.5).addi(30);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 16, 2);
        for (int i = 0; i < 16; i++) {
            labels.putScalar(i, i % 2, 1.0);
        }
        INDArray[] batch = {features, labels};

        assertClose(
                "training activations",
                fast.feedForward(features, true).get("relu"),
                reference.feedForward(features, true).get("relu"));
        assertClose("gradient", gradient(fast, batch), gradient(reference, batch));
        for (int step = 0; step < 3; step++) {
            fast.fit(new INDArray[] {features}, new INDArray[] {labels});
            reference.fit(new INDArray[] {features}, new INDArray[] {labels});
        }
        assertClose("parameters after three steps", fast.params(), reference.params());
        assertClose("inference output", fast.outputSingle(features), reference.outputSingle(features));
    }

    private static ComputationGraph batchNormGraph(boolean nativeLayers, boolean useLogStd) {
        BatchNormalization batchNorm =
                new BatchNormalization.Builder().nOut(16).useLogStd(useLogStd).build();
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3)
                .dataType(DataType.FLOAT)
                .updater(new Sgd(0.1))
                .graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.convolutional(12, 12, 16))
                .addLayer("bn", nativeLayers ? NativeBatchNormalization.of(batchNorm) : batchNorm, "input")
                .addLayer("relu", nativeLayers ? new NativeRelu() : new ActivationLayer(Activation.RELU), "bn")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "relu")
                .addLayer(
                        "output",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nIn(16)
                                .nOut(2)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        "pool")
                .setOutputs("output")
                .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    private static ComputationGraph build(boolean residual, Kernels kernels) {
        return residual ? CifarNetworks.residual(SPEC, kernels) : CifarNetworks.plain(SPEC, kernels);
    }

    private static INDArray gradient(ComputationGraph net, INDArray[] batch) {
        net.setInputs(batch[0]);
        net.setLabels(batch[1]);
        net.computeGradientAndScore();
        return net.gradient().gradient().dup();
    }

    private static INDArray[] batch(long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray features = Nd4j.rand(DataType.FLOAT, BATCH, SPEC.channels(), SPEC.height(), SPEC.width());
        INDArray labels = Nd4j.zeros(DataType.FLOAT, BATCH, SPEC.numClasses());
        for (int i = 0; i < BATCH; i++) {
            labels.putScalar(i, (i * 3) % SPEC.numClasses(), 1.0);
        }
        return new INDArray[] {features, labels};
    }

    private static void assertClose(String what, INDArray actual, INDArray expected) {
        assertThat(actual.shape()).as(what + " shape").containsExactly(expected.shape());
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        double difference = actual.castTo(DataType.DOUBLE)
                .sub(expected.castTo(DataType.DOUBLE))
                .amaxNumber()
                .doubleValue();
        assertThat(difference / scale)
                .as("%s: max |native - reference| = %s at scale %s", what, difference, scale)
                .isLessThanOrEqualTo(RELATIVE_TOLERANCE);
    }
}
