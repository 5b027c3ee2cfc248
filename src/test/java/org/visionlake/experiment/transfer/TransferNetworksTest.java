package org.visionlake.experiment.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.visionlake.models.Backbone;
import org.visionlake.models.BackboneSources;
import org.visionlake.models.Normalization;
import org.visionlake.nn.CifarNetworks;
import org.visionlake.nn.NetworkSpec;
import org.visionlake.testing.ArchiveImages;
import org.visionlake.train.ImageTensors;

class TransferNetworksTest {
    private static final Normalization NORM = new Normalization(List.of(0.5, 0.5, 0.5), List.of(0.25, 0.25, 0.25));

    @Test
    void fineTune_changesOnlyTheTopStageAndTheHead() {
        Backbone backbone = cifarBackbone();
        TransferNetworks networks = new TransferNetworks(2, 16, 3);
        ComputationGraph net = networks.transfer(backbone, backbone.frozenBoundary(), 0.05);
        ComputationGraph before = net.clone();

        DataSet pets = pets(backbone);
        for (int i = 0; i < 3; i++) {
            net.fit(pets);
        }

        long expectedTrainable = 0;
        for (Layer layer : net.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (layer.numParams() == 0) {
                continue;
            }
            boolean trainable = name.startsWith("s3") || name.startsWith("head_") || name.equals("output");
            boolean unchanged = layer.params().equals(before.getLayer(name).params());
            assertThat(unchanged).as("parameters of %s unchanged", name).isEqualTo(!trainable);
            expectedTrainable += trainable ? layer.numParams() : 0;
        }
        assertThat(TransferNetworks.trainableParams(net))
                .isEqualTo(expectedTrainable)
                .isPositive();
        assertThat(net.numParams()).isEqualTo(before.numParams());
        // The backbone the networks were cut from is a separate copy and never moves.
        assertThat(backbone.graph().getLayer("s3b1_conv1").params())
                .isNotEqualTo(net.getLayer("s3b1_conv1").params());
    }

    @Test
    void frozenExtractor_trainsOnlyTheHead() {
        Backbone backbone = cifarBackbone();
        TransferNetworks networks = new TransferNetworks(2, 16, 3);
        ComputationGraph net = networks.transfer(backbone, backbone.featureVertex(), 0.05);
        ComputationGraph before = net.clone();

        net.fit(pets(backbone));

        for (Layer layer : net.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (layer.numParams() == 0) {
                continue;
            }
            boolean head = name.startsWith("head_") || name.equals("output");
            assertThat(layer.params().equals(before.getLayer(name).params()))
                    .as("parameters of %s unchanged", name)
                    .isEqualTo(!head);
        }
        long head = (64L * 16 + 16) + (16L * 2 + 2);
        assertThat(TransferNetworks.trainableParams(net)).isEqualTo(head);
    }

    private static Backbone cifarBackbone() {
        ComputationGraph graph = CifarNetworks.residual(NetworkSpec.cifar(32, 32, 3, 10, 1, 5));
        graph.fit(new DataSet(
                Nd4j.rand(DataType.FLOAT, 8, 3, 32, 32), Nd4j.eye(10).getRows(0, 1, 2, 3, 4, 5, 6, 7)));
        return BackboneSources.cut(
                "test",
                "fp",
                "test",
                graph,
                new org.visionlake.lake.DatasetManifest.Shape(32, 32, 3),
                NORM,
                List.of(BackboneSources.CIFAR_TOP_STAGE));
    }

    private static DataSet pets(Backbone backbone) {
        List<ArchiveImages.Image> images = ArchiveImages.catsVsDogs(4, 0);
        ImageTensors tensors = new ImageTensors(backbone.inputShape(), NORM);
        float[] x = new float[images.size() * tensors.length()];
        float[] y = new float[images.size() * 2];
        for (int i = 0; i < images.size(); i++) {
            ArchiveImages.Image image = images.get(i);
            tensors.write(image.rgb(), image.height(), image.width(), 3, x, i * tensors.length());
            y[i * 2 + (image.label().equals("cat") ? 0 : 1)] = 1;
        }
        return new DataSet(
                Nd4j.create(x, new long[] {images.size(), 3, 32, 32}), Nd4j.create(y, new long[] {images.size(), 2}));
    }
}
