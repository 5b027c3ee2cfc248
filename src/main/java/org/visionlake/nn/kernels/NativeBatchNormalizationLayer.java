package org.visionlake.nn.kernels;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The layer of {@link NativeBatchNormalization}. Training normalises with the batch's mean and (biased) variance
 * and keeps them for {@code batchnorm_bp}, which returns the full gradient through those statistics; inference uses
 * the global estimates. Inputs other than 4D NCHW with learnable gamma and beta go to DL4J's implementation.
 */
public class NativeBatchNormalizationLayer extends BatchNormalization {
    private static final int[] NCHW_REDUCE = {0, 2, 3};
    private static final int CHANNEL_AXIS = 1;

    /** 1 / (2 ln 10): turns ln(var ratio) into the change of log10(std). */
    private static final double HALF_LOG10_OF_E = 1.0 / (2.0 * Math.log(10.0));

    private INDArray batchMean;
    private INDArray batchVar;

    public NativeBatchNormalizationLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray preOutput(INDArray x, TrainingMode training, LayerWorkspaceMgr workspaceMgr) {
        if (!nativeSupported(x)) {
            return super.preOutput(x, training, workspaceMgr);
        }
        INDArray in = x.castTo(dataType);
        INDArray mean;
        INDArray var;
        if (training == TrainingMode.TRAIN) {
            batchStatistics(in);
            mean = batchMean;
            var = batchVar;
        } else {
            mean = getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN);
            var = globalVariance();
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, in.shape(), 'c');
        Nd4j.exec(DynamicCustomOp.builder("batchnorm")
                .addInputs(in, vector(mean), vector(var), vector(gamma()), vector(beta()))
                .addOutputs(out)
                .addIntegerArguments(1, 1, CHANNEL_AXIS)
                .addFloatingPointArguments(layerConf().getEps())
                .build());
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!nativeSupported(input) || batchMean == null) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray in = input.castTo(dataType);
        INDArray eps = epsilon.ordering() == 'c' ? epsilon : epsilon.dup('c');
        INDArray dGamma = gradientViews.get(BatchNormalizationParamInitializer.GAMMA);
        INDArray dBeta = gradientViews.get(BatchNormalizationParamInitializer.BETA);
        INDArray epsilonNext = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, in.shape(), 'c');
        INDArray dMean = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, batchMean.length());
        INDArray dVar = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, batchVar.length());
        Nd4j.exec(DynamicCustomOp.builder("batchnorm_bp")
                .addInputs(in, vector(batchMean), vector(batchVar), vector(gamma()), vector(beta()), eps)
                .addOutputs(epsilonNext, dMean, dVar, vector(dGamma), vector(dBeta))
                .addIntegerArguments(1, 1, CHANNEL_AXIS)
                .addFloatingPointArguments(layerConf().getEps())
                .build());

        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGamma);
        gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, dBeta);
        runningStatisticsUpdate(gradient);
        batchMean = null;
        batchVar = null;
        return new Pair<>(gradient, epsilonNext);
    }

    /**
     * DL4J's running mean and variance travel as "gradients" that the updater subtracts unchanged, so that parameter
     * averaging across workers stays valid: mean[t+1] = mean[t] - (1 - decay) * (mean[t] - batchMean), and the same
     * exponential average for the variance, expressed as a change of log10(std) where the layer stores that.
     */
    private void runningStatisticsUpdate(Gradient gradient) {
        double decay = layerConf().getDecay();
        INDArray globalMean = getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        INDArray dGlobalMean = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        dGlobalMean.assign(globalMean.sub(batchMean.reshape(globalMean.shape())).muli(1 - decay));
        gradient.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_MEAN, dGlobalMean);

        INDArray batchVariance = batchVar.reshape(globalMean.shape());
        if (layerConf().isUseLogStd()) {
            INDArray dLogStd = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
            INDArray variance = globalVariance();
            INDArray next = variance.mul(decay).addi(batchVariance.mul(1 - decay));
            dLogStd.assign(Transforms.log(variance.div(next), false).muli(HALF_LOG10_OF_E));
            gradient.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_LOG_STD, dLogStd);
        } else {
            INDArray globalVar = getParam(BatchNormalizationParamInitializer.GLOBAL_VAR);
            INDArray dGlobalVar = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_VAR);
            dGlobalVar.assign(globalVar.sub(batchVariance).muli(1 - decay));
            gradient.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_VAR, dGlobalVar);
        }
    }

    /** Batch mean and biased variance per channel, kept outside the workspaces until backprop uses them. */
    private void batchStatistics(INDArray in) {
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            batchMean = in.mean(NCHW_REDUCE);
            batchVar = in.var(false, NCHW_REDUCE);
        }
    }

    private INDArray globalVariance() {
        if (layerConf().isUseLogStd()) {
            INDArray log10Std = getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
            INDArray std = Transforms.pow(Nd4j.valueArrayOf(log10Std.shape(), 10.0, dataType), log10Std, false);
            return std.muli(std);
        }
        return getParam(BatchNormalizationParamInitializer.GLOBAL_VAR);
    }

    private INDArray gamma() {
        return getParam(BatchNormalizationParamInitializer.GAMMA);
    }

    private INDArray beta() {
        return getParam(BatchNormalizationParamInitializer.BETA);
    }

    private static INDArray vector(INDArray perChannel) {
        return perChannel.reshape(perChannel.length());
    }

    private boolean nativeSupported(INDArray x) {
        return x.rank() == 4
                && layerConf().getCnn2DFormat() == CNN2DFormat.NCHW
                && !layerConf().isLockGammaBeta();
    }
}
