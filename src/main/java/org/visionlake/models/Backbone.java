package org.visionlake.models;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.visionlake.lake.DatasetManifest;

/**
 * A pretrained network ready for transfer, whatever its origin (the lake's registry, DL4J's zoo, a file).
 *
 * @param id stable name for caches and reports, e.g. {@code cifar10-resnet8}, {@code zoo-resnet50}
 * @param fingerprint changes whenever the weights change (SHA-256 prefix of the model zip)
 * @param featureVertex the vertex whose output is the feature vector (the global pooling, input of the classifier)
 * @param classifierVertex the source task's classifier, replaced by the new head
 * @param topStagePrefixes vertex-name prefixes of the top stage, unfrozen by fine-tuning
 * @param frozenBoundary the last vertex that stays frozen during fine-tuning (the input of the top stage)
 */
public record Backbone(
        String id,
        String fingerprint,
        String origin,
        ComputationGraph graph,
        DatasetManifest.Shape inputShape,
        Normalization normalization,
        String featureVertex,
        String classifierVertex,
        List<String> topStagePrefixes,
        String frozenBoundary,
        int featureSize) {}
