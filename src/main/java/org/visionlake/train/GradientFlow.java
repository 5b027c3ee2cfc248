package org.visionlake.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * How the gradient reaches each weight layer: the mean absolute gradient of its weights and the size of the update
 * the optimiser would make relative to the weights, on one fixed probe batch. Measured on a copy of the network on
 * the driver, so the measurement changes neither the parameters nor the optimiser state of the training.
 */
public final class GradientFlow {
    /** Parameter key of the weights of a layer in DL4J's gradient table. */
    private static final String WEIGHTS = "W";

    private GradientFlow() {}

    /** One weight layer's numbers; {@code depth} counts weight layers from the input, 0 for the stem. */
    public record LayerGradient(String layer, int depth, double meanAbsGradient, double updateRatio) {}

    /**
     * Measures every convolution and output layer of {@code network} on {@code probe}, in depth order (the order
     * the builders add the vertices in).
     *
     * @param iteration the iteration the optimiser sees (matters only for schedules)
     */
    public static List<LayerGradient> measure(ComputationGraph network, DataSet probe, int iteration, int epoch) {
        ComputationGraph copy = network.clone();
        copy.setInputs(probe.getFeatures());
        copy.setLabels(probe.getLabels());
        copy.computeGradientAndScore();
        Gradient gradient = copy.gradient();

        List<String> layers = weightLayers(network);
        double[] meanAbs = new double[layers.size()];
        for (int i = 0; i < layers.size(); i++) {
            meanAbs[i] = weights(gradient, layers.get(i)).ameanNumber().doubleValue();
        }

        // The updater turns the gradient into the step in place; the ratio is that step against the weights.
        copy.getUpdater()
                .update(gradient, iteration, epoch, (int) probe.numExamples(), LayerWorkspaceMgr.noWorkspaces());
        List<LayerGradient> rows = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            String layer = layers.get(i);
            double update = weights(gradient, layer).ameanNumber().doubleValue();
            double weight = copy.getLayer(layer).getParam(WEIGHTS).ameanNumber().doubleValue();
            rows.add(new LayerGradient(layer, i, meanAbs[i], weight == 0 ? Double.NaN : update / weight));
        }
        return rows;
    }

    /** Names of the convolution and output layers, in the order they were added to the graph. */
    public static List<String> weightLayers(ComputationGraph network) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, GraphVertex> entry :
                network.getConfiguration().getVertices().entrySet()) {
            if (entry.getValue() instanceof LayerVertex vertex) {
                Layer layer = vertex.getLayerConf().getLayer();
                if (layer instanceof ConvolutionLayer || layer instanceof BaseOutputLayer) {
                    names.add(entry.getKey());
                }
            }
        }
        return names;
    }

    private static INDArray weights(Gradient gradient, String layer) {
        INDArray array = gradient.getGradientFor(layer + "_" + WEIGHTS);
        if (array == null) {
            throw new IllegalStateException("no weight gradient for layer '" + layer + "' in "
                    + gradient.gradientForVariable().keySet());
        }
        return array;
    }
}
