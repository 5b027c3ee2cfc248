package org.visionlake.nn;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The networks of the experiments, as ordinary DL4J ComputationGraphs (so Spark parameter averaging trains them and
 * ModelSerializer saves them).
 *
 * <p>CIFAR-style networks (He et al. 2015, section 4.2): a 3x3 stem of 16 channels, then three stages of 16, 32 and
 * 64 channels with {@code blocksPerStage} blocks each, the first block of stages 2 and 3 halving the resolution with
 * stride 2; global average pooling and a softmax classifier. A block is conv-BN-ReLU-conv-BN, then ReLU; the
 * residual variant adds the block's input before that last ReLU (identity, or a 1x1 stride-2 projection where the
 * shape changes). The plain variant is the same stack without the additions, so both have nearly the same number
 * of parameters.
 *
 * <p>Vertex names follow the depth: {@code stem_conv}, {@code s2b1_conv1}, ..., {@code output}; the gradient-flow
 * measurement and the reports rely on that order.
 */
public final class CifarNetworks {
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";

    private CifarNetworks() {}

    public static ComputationGraph residual(NetworkSpec spec) {
        return residual(spec, Kernels.NATIVE);
    }

    public static ComputationGraph residual(NetworkSpec spec, Kernels kernels) {
        return init(cifarGraph(spec, true, kernels));
    }

    public static ComputationGraph plain(NetworkSpec spec) {
        return plain(spec, Kernels.NATIVE);
    }

    public static ComputationGraph plain(NetworkSpec spec, Kernels kernels) {
        return init(cifarGraph(spec, false, kernels));
    }

    public static ComputationGraphConfiguration cifarGraph(NetworkSpec spec, boolean residual) {
        return cifarGraph(spec, residual, Kernels.NATIVE);
    }

    /** The CIFAR network's configuration with the layer implementations of {@code kernels}. */
    public static ComputationGraphConfiguration cifarGraph(NetworkSpec spec, boolean residual, Kernels kernels) {
        ComputationGraphConfiguration.GraphBuilder graph = base(spec)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(spec.height(), spec.width(), spec.channels()));

        String previous = convBnRelu(graph, kernels, "stem", "", INPUT, spec.channels(), 16, 1);
        int inChannels = 16;
        for (int stage = 1; stage <= 3; stage++) {
            int outChannels = 16 << (stage - 1);
            for (int block = 1; block <= spec.blocksPerStage(); block++) {
                int stride = stage > 1 && block == 1 ? 2 : 1;
                String name = "s" + stage + "b" + block;
                previous = block(graph, kernels, name, previous, inChannels, outChannels, stride, residual);
                inChannels = outChannels;
            }
        }

        graph.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), previous)
                .addLayer(OUTPUT, classifier(64, spec.numClasses()), "pool")
                .setOutputs(OUTPUT);
        return graph.build();
    }

    /**
     * A small CNN for the transfer experiment's from-scratch baseline: three conv-BN-ReLU-maxpool stages of 32, 64 and
     * 128 channels, global average pooling and the classifier.
     */
    public static ComputationGraph baselineCnn(NetworkSpec spec) {
        return baselineCnn(spec, Kernels.NATIVE);
    }

    public static ComputationGraph baselineCnn(NetworkSpec spec, Kernels kernels) {
        ComputationGraphConfiguration.GraphBuilder graph = base(spec)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(spec.height(), spec.width(), spec.channels()));
        String previous = INPUT;
        int inChannels = spec.channels();
        for (int stage = 1; stage <= 3; stage++) {
            int outChannels = 16 << stage;
            String name = "c" + stage;
            previous = convBnRelu(graph, kernels, name, "", previous, inChannels, outChannels, 1);
            graph.addLayer(name + "_pool", maxPool(), previous);
            previous = name + "_pool";
            inChannels = outChannels;
        }
        graph.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), previous)
                .addLayer(OUTPUT, classifier(inChannels, spec.numClasses()), "pool")
                .setOutputs(OUTPUT);
        return init(graph.build());
    }

    private static NeuralNetConfiguration.Builder base(NetworkSpec spec) {
        NeuralNetConfiguration.Builder builder = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.RELU)
                .updater(new Nesterovs(spec.learningRate(), spec.momentum()))
                .convolutionMode(ConvolutionMode.Same);
        if (spec.weightDecay() > 0) {
            builder.weightDecay(spec.weightDecay());
        }
        return builder;
    }

    private static String block(
            ComputationGraphConfiguration.GraphBuilder graph,
            Kernels kernels,
            String name,
            String input,
            int inChannels,
            int outChannels,
            int stride,
            boolean residual) {
        String first = convBnRelu(graph, kernels, name, "1", input, inChannels, outChannels, stride);
        graph.addLayer(name + "_conv2", kernels.conv(outChannels, outChannels, 3, 1), first)
                .addLayer(name + "_bn2", kernels.batchNorm(outChannels), name + "_conv2");
        String beforeRelu = name + "_bn2";
        if (residual) {
            String shortcut = input;
            if (stride != 1 || inChannels != outChannels) {
                shortcut = name + "_proj";
                graph.addLayer(shortcut, kernels.conv(inChannels, outChannels, 1, stride), input);
            }
            graph.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), beforeRelu, shortcut);
            beforeRelu = name + "_add";
        }
        graph.addLayer(name + "_relu2", kernels.relu(), beforeRelu);
        return name + "_relu2";
    }

    private static String convBnRelu(
            ComputationGraphConfiguration.GraphBuilder graph,
            Kernels kernels,
            String name,
            String suffix,
            String input,
            int inChannels,
            int outChannels,
            int stride) {
        graph.addLayer(name + "_conv" + suffix, kernels.conv(inChannels, outChannels, 3, stride), input)
                .addLayer(name + "_bn" + suffix, kernels.batchNorm(outChannels), name + "_conv" + suffix)
                .addLayer(name + "_relu" + suffix, kernels.relu(), name + "_bn" + suffix);
        return name + "_relu" + suffix;
    }

    private static SubsamplingLayer maxPool() {
        return new SubsamplingLayer.Builder(PoolingType.MAX)
                .kernelSize(2, 2)
                .stride(2, 2)
                .build();
    }

    private static OutputLayer classifier(int inputs, int classes) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(inputs)
                .nOut(classes)
                .activation(Activation.SOFTMAX)
                .weightInit(WeightInit.XAVIER)
                .build();
    }

    private static ComputationGraph init(ComputationGraphConfiguration conf) {
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }
}
