package org.visionlake.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** A network's layers as DL4J's text table and as structured rows, for the run folder and the reports. */
public final class ModelSummary {
    private ModelSummary() {}

    /** One vertex: its name, type (layer class, or vertex class for merges and adds), output shape and params. */
    public record Row(String name, String type, String outputShape, long params) {}

    public static String text(ComputationGraph network, InputType input) {
        return network.summary(input);
    }

    public static List<Row> rows(ComputationGraph network, InputType input) {
        Map<String, InputType> outputs = network.getConfiguration().getLayerActivationTypes(input);
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(network.getConfiguration().getNetworkInputs().get(0), "Input", shape(input), 0));
        for (Map.Entry<String, GraphVertex> entry :
                network.getConfiguration().getVertices().entrySet()) {
            String name = entry.getKey();
            GraphVertex vertex = entry.getValue();
            String type = vertex instanceof LayerVertex layer
                    ? layer.getLayerConf().getLayer().getClass().getSimpleName()
                    : vertex.getClass().getSimpleName();
            rows.add(new Row(
                    name,
                    type,
                    shape(outputs.get(name)),
                    network.getVertex(name).numParams()));
        }
        return rows;
    }

    private static String shape(InputType type) {
        if (type == null) {
            return "";
        }
        long[] shape = type.getShape(false);
        StringBuilder text = new StringBuilder();
        for (long dim : shape) {
            text.append(text.length() == 0 ? "" : "x").append(dim);
        }
        return text.toString();
    }
}
