package org.visionlake.experiment.transfer;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.visionlake.models.Backbone;
import org.visionlake.nn.CifarNetworks;

/**
 * The networks of the three approaches, all ending in the same head (a dense ReLU layer and a softmax classifier):
 * the from-scratch baseline CNN, the frozen backbone with the head on its pooled features, and the fine-tuned
 * backbone whose top stage trains again. Built with DL4J's TransferLearning API so that frozen vertices are DL4J's
 * own frozen wrappers (no gradient, no updater, batch norm in inference mode).
 */
public final class TransferNetworks {
    public static final String HEAD_DENSE = "head_dense";
    public static final String HEAD_OUTPUT = CifarNetworks.OUTPUT;
    public static final String FEATURES = "features";
    static final double MOMENTUM = 0.9;

    private final int numClasses;
    private final int hidden;
    private final long seed;

    public TransferNetworks(int numClasses, int hidden, long seed) {
        this.numClasses = numClasses;
        this.hidden = hidden;
        this.seed = seed;
    }

    /**
     * The head alone, on feature vectors of {@code featureSize}: what the frozen approach trains on cached features.
     */
    public ComputationGraph head(int featureSize, double learningRate) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Nesterovs(learningRate, MOMENTUM))
                .graphBuilder()
                .addInputs(FEATURES)
                .setInputTypes(InputType.feedForward(featureSize))
                .addLayer(HEAD_DENSE, dense(featureSize), FEATURES)
                .addLayer(HEAD_OUTPUT, classifier(), HEAD_DENSE)
                .setOutputs(HEAD_OUTPUT)
                .build();
        ComputationGraph head = new ComputationGraph(conf);
        head.init();
        return head;
    }

    /** The baseline CNN trained from scratch, its classifier replaced by the shared head. */
    public ComputationGraph scratch(ComputationGraph baselineCnn, double learningRate) {
        return new TransferLearning.GraphBuilder(baselineCnn)
                .fineTuneConfiguration(fineTune(learningRate))
                .removeVertexKeepConnections(CifarNetworks.OUTPUT)
                .addLayer(HEAD_DENSE, dense(128), "pool")
                .addLayer(HEAD_OUTPUT, classifier(), HEAD_DENSE)
                .setOutputs(HEAD_OUTPUT)
                .build();
    }

    /**
     * The backbone up to its feature vertex, frozen, under a new head. {@code frozenUpTo} is the feature vertex for
     * the frozen approach and the input of the top stage for fine-tuning.
     */
    public ComputationGraph transfer(Backbone backbone, String frozenUpTo, double learningRate) {
        // TransferLearning shares parameter arrays with the graph it starts from; a copy keeps the backbone intact.
        return new TransferLearning.GraphBuilder(backbone.graph().clone())
                .fineTuneConfiguration(fineTune(learningRate))
                .setFeatureExtractor(frozenUpTo)
                .removeVertexKeepConnections(backbone.classifierVertex())
                .addLayer(HEAD_DENSE, dense(backbone.featureSize()), backbone.featureVertex())
                .addLayer(HEAD_OUTPUT, classifier(), HEAD_DENSE)
                .setOutputs(HEAD_OUTPUT)
                .build();
    }

    /** Copies the trained head's weights into {@code graph}, which ends in the same head. */
    public static void copyHead(ComputationGraph from, ComputationGraph to) {
        for (String name : new String[] {HEAD_DENSE, HEAD_OUTPUT}) {
            to.getLayer(name).setParams(from.getLayer(name).params().dup());
        }
    }

    /** Parameters that training changes: those of every layer that is not one of DL4J's frozen wrappers. */
    public static long trainableParams(ComputationGraph graph) {
        long trainable = 0;
        for (Layer layer : graph.getLayers()) {
            if (!(layer instanceof FrozenLayer) && !(layer instanceof FrozenLayerWithBackprop)) {
                trainable += layer.numParams();
            }
        }
        return trainable;
    }

    private FineTuneConfiguration fineTune(double learningRate) {
        return new FineTuneConfiguration.Builder()
                .seed(seed)
                .updater(new Nesterovs(learningRate, MOMENTUM))
                .build();
    }

    private DenseLayer dense(int inputs) {
        return new DenseLayer.Builder()
                .nIn(inputs)
                .nOut(hidden)
                .activation(Activation.RELU)
                .weightInit(WeightInit.RELU)
                .build();
    }

    private OutputLayer classifier() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(hidden)
                .nOut(numClasses)
                .activation(Activation.SOFTMAX)
                .weightInit(WeightInit.XAVIER)
                .build();
    }
}
