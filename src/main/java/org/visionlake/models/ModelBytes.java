package org.visionlake.models;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/** A ComputationGraph as ModelSerializer zip bytes: what Spark broadcasts to executors and what the registry stores. */
public final class ModelBytes {
    private ModelBytes() {}

    public static byte[] of(ComputationGraph graph, boolean withUpdater) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(graph, out, withUpdater);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the network", e);
        }
        return out.toByteArray();
    }

    public static ComputationGraph restore(byte[] zip) {
        try {
            return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore the network from its zip bytes", e);
        }
    }
}
