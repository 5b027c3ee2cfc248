package org.visionlake.nn.kernels;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What every layer configuration's {@code instantiate} does after creating its layer, in DL4J's order. */
final class LayerWiring {
    private LayerWiring() {}

    static Layer wire(
            Layer layer,
            org.deeplearning4j.nn.conf.layers.Layer config,
            NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners,
            int index,
            INDArray paramsView,
            boolean initializeParams) {
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(config.initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }
}
