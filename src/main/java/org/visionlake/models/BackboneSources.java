package org.visionlake.models;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.util.ModelSerializer;
import org.visionlake.VisionLakeException;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.lake.Lake;

/**
 * Resolves {@code --source-model}: {@code NAME} (the lake's registry; none: the latest model there), {@code
 * zoo:resnet50} or {@code zoo:vgg16} (ImageNet weights from DL4J's local cache), {@code file:PATH} (a ModelSerializer
 * zip of a ComputationGraph).
 *
 * <p>Every backbone is cut the same way: the feature vertex is the input of the graph's classifier (the global
 * pooling in the CIFAR ResNets and ResNet-50, the last dense layer in VGG16); fine-tuning unfreezes the vertices
 * named with the top-stage prefixes ({@code s3} for VisionLake's ResNets).
 */
public final class BackboneSources {
    public static final String CIFAR_TOP_STAGE = "s3";

    private BackboneSources() {}

    /** {@code fileInputSize}: height and width of a {@code file:} model's input, which its zip does not record. */
    public static Backbone resolve(Lake lake, String source, int fileInputSize) {
        if (source == null || source.isBlank()) {
            ModelRegistry registry = new ModelRegistry(lake);
            ModelCard latest = registry.latest()
                    .orElseThrow(() -> new VisionLakeException(String.format(
                            "no --source-model given and the lake %s has no registered model; pretrain one with"
                                    + " 'visionlake pretrain --dataset cifar10', or pass zoo:resnet50 or file:PATH",
                            lake)));
            return fromRegistry(registry, latest.name());
        }
        if (source.startsWith("zoo:")) {
            return fromZoo(source.substring(4));
        }
        if (source.startsWith("file:")) {
            return fromFile(new File(source.substring(5)), fileInputSize);
        }
        return fromRegistry(new ModelRegistry(lake), source);
    }

    static Backbone fromRegistry(ModelRegistry registry, String name) {
        ModelRegistry.Registered model = registry.load(name);
        ModelCard card = model.card();
        return cut(
                card.name(),
                card.fingerprint(),
                "lake:" + card.name(),
                model.graph(),
                card.inputShape(),
                card.normalization(),
                List.of(CIFAR_TOP_STAGE));
    }

    static Backbone fromZoo(String name) {
        ComputationGraph graph = ZooBackbones.load(name);
        String id = "zoo-" + name.toLowerCase(Locale.ROOT);
        return cut(
                id,
                id + "-imagenet",
                "zoo:" + name,
                graph,
                ZooBackbones.inputShape(name),
                Normalization.imageNetCaffe(),
                ZooBackbones.topStagePrefixes(name));
    }

    static Backbone fromFile(File file, int inputSize) {
        if (!file.isFile()) {
            throw new VisionLakeException(String.format(
                    "model file %s not found: expected a ModelSerializer zip of a ComputationGraph", file));
        }
        ComputationGraph graph;
        try {
            graph = ModelSerializer.restoreComputationGraph(file, true);
        } catch (IOException | RuntimeException e) {
            throw new VisionLakeException(
                    String.format(
                            "cannot read %s as a DL4J ComputationGraph zip (%s);"
                                    + " save it with ModelSerializer.writeModel",
                            file, e.getMessage()),
                    e);
        }
        DatasetManifest.Shape shape = inputShape(graph, inputSize, file.toString());
        // A foreign file says nothing about its input statistics: centred on mid-grey, unit range.
        Normalization normalization = new Normalization(
                java.util.Collections.nCopies(shape.channels(), 0.5),
                java.util.Collections.nCopies(shape.channels(), 0.25));
        String id = "file-" + file.getName().replaceAll("[^A-Za-z0-9._-]", "_");
        return cut(
                id,
                ModelRegistry.fingerprint(graph),
                "file:" + file,
                graph,
                shape,
                normalization,
                List.of(CIFAR_TOP_STAGE));
    }

    public static Backbone cut(
            String id,
            String fingerprint,
            String origin,
            ComputationGraph graph,
            DatasetManifest.Shape shape,
            Normalization normalization,
            List<String> topStage) {
        String[] outputs = graph.getConfiguration().getNetworkOutputs().toArray(new String[0]);
        if (outputs.length != 1) {
            throw new VisionLakeException(String.format(
                    "backbone %s has %d outputs %s; transfer needs a single classifier output",
                    origin, outputs.length, List.of(outputs)));
        }
        String classifier = outputs[0];
        String feature = onlyInput(graph, classifier, origin);
        String boundary = frozenBoundary(graph, topStage, origin);
        int featureSize = (int) graph.getLayer(classifier).getParam("W").size(0);
        return new Backbone(
                id,
                fingerprint,
                origin,
                graph,
                shape,
                normalization,
                feature,
                classifier,
                topStage,
                boundary,
                featureSize);
    }

    private static String onlyInput(ComputationGraph graph, String vertex, String origin) {
        VertexIndices[] inputs = graph.getVertex(vertex).getInputVertices();
        if (inputs == null || inputs.length != 1) {
            throw new VisionLakeException(String.format(
                    "classifier %s of backbone %s has %s inputs; expected exactly one (the pooled features)",
                    vertex, origin, inputs == null ? 0 : inputs.length));
        }
        return graph.getVertices()[inputs[0].getVertexIndex()].getVertexName();
    }

    /**
     * The last vertex before the top stage in topological order: freezing it freezes everything below the stage,
     * since DL4J's feature extractor freezes a vertex and all its ancestors.
     */
    private static String frozenBoundary(ComputationGraph graph, List<String> topStage, String origin) {
        GraphVertex[] vertices = graph.getVertices();
        String previous = null;
        for (int index : graph.topologicalSortOrder()) {
            GraphVertex vertex = vertices[index];
            String name = vertex.getVertexName();
            if (topStage.stream().anyMatch(name::startsWith)) {
                if (previous == null) {
                    break;
                }
                return previous;
            }
            if (!vertex.isInputVertex()) {
                previous = name;
            }
        }
        throw new VisionLakeException(String.format(
                "backbone %s has no vertex named with the top-stage prefixes %s after its input; fine-tuning"
                        + " cannot tell which part to unfreeze",
                origin, topStage));
    }

    /**
     * A ModelSerializer zip does not keep the graph's declared input type, so a foreign file's input size comes from
     * the caller and its channel count from the first layer after the input.
     */
    private static DatasetManifest.Shape inputShape(ComputationGraph graph, int size, String origin) {
        String input = graph.getConfiguration().getNetworkInputs().get(0);
        for (GraphVertex vertex : graph.getVertices()) {
            VertexIndices[] inputs = vertex.getInputVertices();
            boolean readsInput = inputs != null
                    && inputs.length == 1
                    && graph.getVertices()[inputs[0].getVertexIndex()]
                            .getVertexName()
                            .equals(input);
            if (readsInput
                    && vertex.hasLayer()
                    && vertex.getLayer().conf().getLayer()
                            instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer conv) {
                return new DatasetManifest.Shape(size, size, (int) conv.getNIn());
            }
        }
        throw new VisionLakeException(String.format(
                "backbone %s does not start with a convolution layer on its input '%s'; expected an image network",
                origin, input));
    }
}
