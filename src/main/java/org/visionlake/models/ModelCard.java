package org.visionlake.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.visionlake.lake.DatasetManifest;

/**
 * What travels beside a registered model as {@code _model.json}: enough to use the model without opening its zip,
 * and where it came from. A model folder without this file is not complete and is never read.
 *
 * @param formatVersion layout version of the model folder ({@link ModelRegistry#FORMAT_VERSION})
 * @param architecture e.g. {@code cifar-resnet-8}
 * @param sourceDataset the lake dataset the model was trained on, and its fingerprint at the time
 * @param inputShape what the first layer takes (height x width x channels)
 * @param labels the classes of the source dataset, in output order
 * @param normalization per-channel statistics of the source training data; inputs must be normalised the same way
 * @param fingerprint SHA-256 (first 16 hex digits) of the model zip: the version key of caches built from the model
 * @param lineage run id and training configuration
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelCard(
        int formatVersion,
        String name,
        String createdAt,
        String architecture,
        String sourceDataset,
        String sourceFingerprint,
        DatasetManifest.Shape inputShape,
        List<String> labels,
        Normalization normalization,
        Double valAccuracy,
        Double testAccuracy,
        long parameters,
        String fingerprint,
        Map<String, Object> lineage) {

    public ModelCard withFingerprint(String newFingerprint) {
        return new ModelCard(
                formatVersion,
                name,
                createdAt,
                architecture,
                sourceDataset,
                sourceFingerprint,
                inputShape,
                labels,
                normalization,
                valAccuracy,
                testAccuracy,
                parameters,
                newFingerprint,
                lineage);
    }
}
