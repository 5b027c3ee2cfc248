package org.visionlake.report;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Pictures of what a trained network computes: the filters of its first convolution, and the activation maps that a
 * few real images produce at several depths.
 */
public final class FeatureMaps {
    private FeatureMaps() {}

    /** The first convolution's filters, one tile each (RGB when the layer sees three channels). */
    public static byte[] firstLayerFilters(ComputationGraph net, String convLayer) {
        INDArray weights = net.getLayer(convLayer).getParam("W"); // [out, in, kH, kW]
        long[] shape = weights.shape();
        int out = (int) shape[0];
        int in = (int) shape[1];
        int kh = (int) shape[2];
        int kw = (int) shape[3];
        ImageGrid grid = new ImageGrid(Math.min(out, 16), 40);
        for (int f = 0; f < out; f++) {
            int planes = in == 3 ? 3 : 1;
            float[][] maps = new float[planes][];
            for (int p = 0; p < planes; p++) {
                maps[p] = weights.get(point(f), point(p)).dup().data().asFloat();
                if (maps[p].length != kh * kw) {
                    throw new IllegalStateException("filter " + f + " of " + convLayer + " is not " + kh + "x" + kw);
                }
            }
            grid.addPlanes(maps, kh, kw, "f" + f);
        }
        return grid.toPng();
    }

    /**
     * For each image of {@code batch} (NCHW, already normalised as in training), a row with the input and the first
     * {@code channels} activation maps of each named layer.
     */
    public static byte[] activations(
            ComputationGraph net, INDArray batch, List<String> layers, int channels, List<String> captions) {
        Map<String, INDArray> acts = net.feedForward(batch, false);
        int columns = 1 + layers.size() * channels;
        ImageGrid grid = new ImageGrid(columns, 48);
        for (int i = 0; i < batch.size(0); i++) {
            INDArray image = batch.get(point(i));
            int c = (int) image.size(0);
            float[][] input = new float[c == 3 ? 3 : 1][];
            for (int p = 0; p < input.length; p++) {
                input[p] = image.get(point(p)).dup().data().asFloat();
            }
            grid.addPlanes(input, (int) image.size(1), (int) image.size(2), captions.get(i));
            for (String layer : layers) {
                INDArray act = acts.get(layer);
                if (act == null) {
                    throw new IllegalArgumentException(
                            "layer '" + layer + "' not in the network; vertices: " + String.join(", ", acts.keySet()));
                }
                INDArray maps = act.get(point(i));
                int shown = (int) Math.min(channels, maps.size(0));
                for (int ch = 0; ch < shown; ch++) {
                    float[] plane = maps.get(point(ch)).dup().data().asFloat();
                    grid.addPlanes(new float[][] {plane}, (int) maps.size(1), (int) maps.size(2), layer + ":" + ch);
                }
            }
        }
        return grid.toPng();
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex point(long i) {
        return org.nd4j.linalg.indexing.NDArrayIndex.point(i);
    }
}
