package org.visionlake.report;

import static org.apache.spark.sql.functions.col;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.lake.ImageSchema;
import org.visionlake.lake.LakeDatasets;
import org.visionlake.runs.RunRecord;

/**
 * Feature maps of a trained model of a run: the first convolution's filters and the activations of a few real
 * images of the run's dataset at the end of the stem and of each stage.
 */
public final class FeatureMapSource {
    private static final int IMAGES = 4;
    private static final int CHANNELS_SHOWN = 6;

    private final SparkSession spark;
    private final ReportRuns runs;

    public FeatureMapSource(SparkSession spark, ReportRuns runs) {
        this.spark = spark;
        this.runs = runs;
    }

    public void render(ReportBuilder report, RunRecord run, String modelFile, String prefix, String dataset) {
        ComputationGraph net = load(run, modelFile);
        report.subsection(
                "Feature maps of " + modelFile.replace("models/", "").replace(".zip", "") + " (" + run.runId() + ")");
        report.pngFigure(
                prefix + "-filters",
                FeatureMaps.firstLayerFilters(net, firstConv(net)),
                "Filters of the first convolution after training (each stretched to its own range)");

        LakeDatasets datasets = new LakeDatasets(runs.lake());
        DatasetManifest manifest = datasets.manifest(dataset);
        String split = manifest.total(ImageSchema.VAL) > 0 ? ImageSchema.VAL : ImageSchema.TEST;
        List<Row> rows = datasets.readSplit(spark, dataset, split)
                .select(ImageSchema.ID, ImageSchema.LABEL_NAME, ImageSchema.PIXELS)
                .orderBy(col(ImageSchema.ID))
                .limit(IMAGES)
                .collectAsList();
        INDArray batch = normalised(rows, manifest.shape());
        List<String> captions =
                rows.stream().map(r -> r.<String>getAs(ImageSchema.LABEL_NAME)).toList();
        List<String> layers = depthLayers(net);
        report.pngFigure(
                prefix + "-activations",
                FeatureMaps.activations(net, batch, layers, CHANNELS_SHOWN, captions),
                "Each row: a " + split + " image, then the first " + CHANNELS_SHOWN + " activation maps at "
                        + String.join(", ", layers) + " (inputs normalised per channel over these images)");
    }

    /** The ReLU outputs that end the stem and each stage, shallow to deep. */
    static List<String> depthLayers(ComputationGraph net) {
        List<String> layers = new ArrayList<>();
        String[] names = net.getConfiguration().getTopologicalOrderStr().toArray(new String[0]);
        String previousStage = null;
        String lastRelu = null;
        for (String name : names) {
            if (!name.contains("relu")) {
                continue;
            }
            String stage = name.startsWith("stem") ? "stem" : name.replaceAll("^(s\\d+|c\\d+).*", "$1");
            if (previousStage != null && !stage.equals(previousStage)) {
                layers.add(lastRelu);
            }
            previousStage = stage;
            lastRelu = name;
        }
        if (lastRelu != null) {
            layers.add(lastRelu);
        }
        return layers;
    }

    private static String firstConv(ComputationGraph net) {
        for (String name : net.getConfiguration().getTopologicalOrderStr()) {
            if (net.getLayer(name) != null
                    && net.getLayer(name).getParam("W") != null
                    && net.getLayer(name).getParam("W").rank() == 4) {
                return name;
            }
        }
        throw new IllegalStateException("the network has no convolution layer to show filters of");
    }

    private static INDArray normalised(List<Row> rows, DatasetManifest.Shape shape) {
        int h = shape.height();
        int w = shape.width();
        int c = shape.channels();
        float[] data = new float[rows.size() * c * h * w];
        for (int i = 0; i < rows.size(); i++) {
            byte[] pixels = rows.get(i).getAs(ImageSchema.PIXELS);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int ch = 0; ch < c; ch++) {
                        data[((i * c + ch) * h + y) * w + x] = (pixels[(y * w + x) * c + ch] & 0xff) / 255f;
                    }
                }
            }
        }
        INDArray batch =
                Nd4j.create(data, new long[] {rows.size(), c, h, w}, 'c').castTo(DataType.FLOAT);
        for (int ch = 0; ch < c; ch++) {
            INDArray plane = batch.get(
                    org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(ch));
            double mean = plane.meanNumber().doubleValue();
            double std = Math.max(1e-3, plane.stdNumber().doubleValue());
            plane.subi(mean).divi(std);
        }
        return batch;
    }

    private ComputationGraph load(RunRecord run, String modelFile) {
        Path path = runs.file(run, modelFile);
        try {
            File local =
                    Files.createTempFile("visionlake-report-model-", ".zip").toFile();
            try {
                runs.lake().fs().copyToLocalFile(false, path, new Path(local.toURI()), true);
                return ModelSerializer.restoreComputationGraph(local, false);
            } finally {
                Files.deleteIfExists(local.toPath());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load model " + path + " of run " + run.runId(), e);
        }
    }
}
