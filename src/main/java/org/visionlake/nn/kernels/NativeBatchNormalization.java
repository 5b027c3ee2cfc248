package org.visionlake.nn.kernels;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A batch normalisation layer configuration whose layer composes forward and backward passes from per-channel ND4J
 * ops that run at memory speed on NCHW tensors, instead of DL4J's broadcasts along dimension 1 or ND4J's fused
 * {@code batchnorm_bp}. Parameters (gamma, beta, global mean, global log10 std or variance), their layout and the
 * running-statistics update are those of {@link BatchNormalization}.
 */
public class NativeBatchNormalization extends BatchNormalization {
    /** For JSON deserialisation. */
    public NativeBatchNormalization() {}

    /**
     * The native variant of a built {@link BatchNormalization}, with every setting copied: DL4J's builder for it has
     * a private constructor, and copying keeps both variants identical by construction.
     */
    public static NativeBatchNormalization of(BatchNormalization reference) {
        NativeBatchNormalization copy = new NativeBatchNormalization();
        for (Class<?> type = BatchNormalization.class; type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    copyField(field, reference, copy);
                }
            }
        }
        return copy;
    }

    private static void copyField(Field field, Object from, Object to) {
        try {
            field.setAccessible(true);
            field.set(to, field.get(from));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "cannot copy batch norm setting " + field.getName() + " of DL4J "
                            + "BatchNormalization; this DL4J version changed the class layout",
                    e);
        }
    }

    @Override
    public Layer instantiate(
            NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners,
            int layerIndex,
            INDArray layerParamsView,
            boolean initializeParams,
            DataType networkDataType) {
        LayerValidation.assertNOutSet("NativeBatchNormalization", getLayerName(), layerIndex, getNOut());
        return LayerWiring.wire(
                new NativeBatchNormalizationLayer(conf, networkDataType),
                this,
                conf,
                trainingListeners,
                layerIndex,
                layerParamsView,
                initializeParams);
    }

    @Override
    public NativeBatchNormalization clone() {
        return (NativeBatchNormalization) super.clone();
    }
}
