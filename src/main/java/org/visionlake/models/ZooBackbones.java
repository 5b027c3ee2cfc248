package org.visionlake.models;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.common.resources.ResourceType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.ZooModel;
import org.deeplearning4j.zoo.model.ResNet50;
import org.visionlake.VisionLakeException;

/**
 * ImageNet backbones from DL4J's model zoo, read only from the zoo's local cache. {@code ZooModel.initPretrained}
 * downloads a missing file; VisionLake never does, so the file is checked first and its absence is an error that
 * says which file to put where.
 */
public final class ZooBackbones {
    private ZooBackbones() {}

    /** The zoo models VisionLake knows how to cut into a backbone. */
    public enum Kind {
        RESNET50(List.of("res5", "bn5")),
        VGG16(List.of("block5"));

        final List<String> topStagePrefixes;

        Kind(List<String> topStagePrefixes) {
            this.topStagePrefixes = topStagePrefixes;
        }

        ZooModel model() {
            return switch (this) {
                case RESNET50 -> ResNet50.builder().build();
                case VGG16 -> org.deeplearning4j.zoo.model.VGG16.builder().build();
            };
        }

        static Kind parse(String name) {
            for (Kind kind : values()) {
                if (kind.name().equalsIgnoreCase(name)) {
                    return kind;
                }
            }
            throw new VisionLakeException(
                    String.format("unknown zoo model '%s': expected one of zoo:resnet50, zoo:vgg16", name));
        }
    }

    /**
     * Where DL4J's zoo keeps the ImageNet weights of {@code kind}: the cache base directory ({@code
     * DL4JResources.getBaseDirectory()}, {@code ~/.deeplearning4j} unless the system property {@code
     * org.deeplearning4j.resources.directory} says otherwise), {@code models/<model name>/}, and the last segment of
     * the download address.
     */
    public static File weightsFile(Kind kind) {
        ZooModel model = kind.model();
        String url = model.pretrainedUrl(PretrainedType.IMAGENET);
        String fileName = url.substring(url.lastIndexOf('/') + 1);
        File directory = new File(DL4JResources.getBaseDirectory(), ResourceType.ZOO_MODEL.resourceName());
        return new File(new File(directory, model.modelName()), fileName);
    }

    public static ComputationGraph load(String name) {
        Kind kind = Kind.parse(name);
        File weights = weightsFile(kind);
        if (!weights.isFile()) {
            ZooModel model = kind.model();
            throw new VisionLakeException(String.format(
                    "ImageNet weights for zoo:%s are not in DL4J's model cache: expected file %s (not found)."
                            + " VisionLake never downloads weights; copy %s from %s to %s, or set the system property"
                            + " %s to the folder that holds models/%s/%s",
                    name.toLowerCase(Locale.ROOT),
                    weights,
                    weights.getName(),
                    model.pretrainedUrl(PretrainedType.IMAGENET),
                    weights.getParentFile(),
                    DL4JResources.DL4J_RESOURCES_DIR_PROPERTY,
                    model.modelName(),
                    weights.getName()));
        }
        try {
            // The file is there, so the zoo reads it (and verifies its checksum) instead of downloading.
            return (ComputationGraph) kind.model().initPretrained(PretrainedType.IMAGENET);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read zoo weights " + weights, e);
        }
    }

    /** The zoo's declared input (channels, height, width) as the lake's height x width x channels. */
    static org.visionlake.lake.DatasetManifest.Shape inputShape(String name) {
        int[] chw = Kind.parse(name).model().metaData().getInputShape()[0];
        return new org.visionlake.lake.DatasetManifest.Shape(chw[1], chw[2], chw[0]);
    }

    static List<String> topStagePrefixes(String name) {
        return Kind.parse(name).topStagePrefixes;
    }
}
