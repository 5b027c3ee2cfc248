package org.visionlake.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CifarNetworksTest {
    @Test
    void resnet20_hasThePapersParameterCountAndShapes() {
        ComputationGraph net = CifarNetworks.residual(NetworkSpec.cifar(32, 32, 3, 10, 3, 42));

        // He et al. 2015, table 6: ResNet-20 has 0.27M parameters.
        assertThat(net.numParams()).isBetween(265_000L, 280_000L);
        INDArray out = net.outputSingle(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3, 32, 32));
        assertThat(out.shape()).containsExactly(2, 10);
        assertThat(out.sum(1).toDoubleVector()).containsExactly(new double[] {1.0, 1.0}, within());
    }

    @Test
    void plainNet_differsOnlyByTheProjectionShortcuts() {
        NetworkSpec spec = NetworkSpec.cifar(32, 32, 3, 10, 3, 42);
        long residual = CifarNetworks.residual(spec).numParams();
        long plain = CifarNetworks.plain(spec).numParams();

        // Two 1x1 projections (16->32, 32->64) are the only extra weights of the residual variant.
        assertThat(residual - plain).isEqualTo(16 * 32 + 32 * 64);
        assertThat(CifarNetworks.plain(spec).getVertex("s1b1_add")).isNull();
        assertThat(CifarNetworks.residual(spec).getVertex("s1b1_add")).isNotNull();
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-4);
    }
}
