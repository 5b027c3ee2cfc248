package org.visionlake.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.nn.CifarNetworks;
import org.visionlake.nn.NetworkSpec;
import org.visionlake.testing.CifarSample;

class GradientFlowTest {
    /**
     * With batch norm after every convolution, a deep plain stack does not starve its first layers at
     * initialisation: its gradients grow geometrically towards the input (the mean-field picture of batch-normalised
     * ReLU nets), so the first and last weight layers differ by orders of magnitude. Identity shortcuts carry the
     * gradient past the blocks and keep every layer within the same couple of decades.
     */
    @Test
    void deepPlainNet_spreadsGradientsOverOrdersOfMagnitude_residualDoesNot() {
        DataSet probe = probe(8);
        NetworkSpec spec = new NetworkSpec(8, 8, 3, 4, 12, 5, 0.1, 0.9, 1e-4);

        double plain = firstToLastConv(GradientFlow.measure(CifarNetworks.plain(spec), probe, 0, 0));
        double residual = firstToLastConv(GradientFlow.measure(CifarNetworks.residual(spec), probe, 0, 0));

        assertThat(Math.log10(plain))
                .as("decades between stem and last conv, plain")
                .isGreaterThan(3);
        assertThat(Math.log10(residual))
                .as("decades between stem and last conv, residual")
                .isLessThan(2);
        assertThat(plain / residual).isGreaterThan(100);
    }

    @Test
    void measure_coversEveryWeightLayerInDepthOrder() {
        NetworkSpec spec = new NetworkSpec(8, 8, 3, 4, 1, 5, 0.1, 0.9, 1e-4);
        ComputationGraph net = CifarNetworks.residual(spec);
        org.nd4j.linalg.api.ndarray.INDArray before = net.params().dup();

        List<GradientFlow.LayerGradient> rows = GradientFlow.measure(net, probe(8), 0, 0);

        assertThat(rows)
                .extracting(GradientFlow.LayerGradient::layer)
                .containsExactly(
                        "stem_conv",
                        "s1b1_conv1",
                        "s1b1_conv2",
                        "s2b1_conv1",
                        "s2b1_conv2",
                        "s2b1_proj",
                        "s3b1_conv1",
                        "s3b1_conv2",
                        "s3b1_proj",
                        "output");
        assertThat(rows).extracting(GradientFlow.LayerGradient::depth).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.meanAbsGradient()).isPositive().isFinite();
            assertThat(row.updateRatio()).isPositive().isFinite();
        });
        assertThat(net.params()).as("the measurement leaves the network alone").isEqualTo(before);
    }

    private static double firstToLastConv(List<GradientFlow.LayerGradient> rows) {
        GradientFlow.LayerGradient lastConv = rows.get(rows.size() - 2);
        assertThat(rows.get(0).layer()).isEqualTo("stem_conv");
        assertThat(lastConv.layer()).isEqualTo("s3b12_conv2");
        return rows.get(0).meanAbsGradient() / lastConv.meanAbsGradient();
    }

    static DataSet probe(int size) {
        List<String> classes = List.of("airplane", "automobile", "frog", "ship");
        List<LabelledImage> images = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            int label = i % classes.size();
            byte[] jpeg = CifarSample.jpegs("train", classes.get(label)).get(i / classes.size());
            images.add(new LabelledImage(i, label, CifarSample.pixels(jpeg, size)));
        }
        ChannelStats stats = new ChannelStats(new double[] {0.5, 0.5, 0.5}, new double[] {0.25, 0.25, 0.25});
        Minibatches batches =
                new Minibatches(new DatasetManifest.Shape(size, size, 3), classes.size(), stats, 64, true);
        return batches.toDataSet(images);
    }
}
