package org.visionlake.experiment.transfer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visionlake.lake.Json;
import org.visionlake.lake.Lake;

/**
 * The record of one experiment run in the lake: {@code runs/<id>/_run.json} (state {@code running}, then {@code
 * complete} or {@code failed}, with the configuration and the per-approach results) and the per-epoch metrics as
 * Parquet ({@code metrics/}) and CSV ({@code metrics.csv}). {@code _run.json} is replaced atomically at every state
 * change; the metrics are staged and published whole before the run is marked complete.
 *
 * <p>States go running -> complete | failed only; a finished recorder refuses further calls.
 */
public final class RunRecorder {
    public static final String RUN_FILE = "_run.json";
    private static final Logger LOG = LoggerFactory.getLogger(RunRecorder.class);

    private static final List<String> METRIC_COLUMNS = List.of(
            "approach",
            "train_size",
            "stage",
            "epoch",
            "train_loss",
            "train_accuracy",
            "val_loss",
            "val_accuracy",
            "epoch_seconds",
            "images_per_second");

    private final SparkSession spark;
    private final Lake lake;
    private final String runId;
    private final String experiment;
    private final Map<String, Object> config;
    private final String startedAt;
    private final List<Object[]> metrics = new ArrayList<>();
    private final List<Map<String, Object>> results = new ArrayList<>();
    private String state;

    private RunRecorder(SparkSession spark, Lake lake, String runId, String experiment, Map<String, Object> config) {
        this.spark = spark;
        this.lake = lake;
        this.runId = runId;
        this.experiment = experiment;
        this.config = config;
        this.startedAt = Instant.now().toString();
    }

    public static RunRecorder start(SparkSession spark, Lake lake, String experiment, Map<String, Object> config) {
        String runId = experiment + "-"
                + Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14) + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        RunRecorder recorder = new RunRecorder(spark, lake, runId, experiment, config);
        recorder.state = "running";
        recorder.writeRunFile(null);
        LOG.info("run started run_id={} experiment={} path={}", runId, experiment, lake.runPath(runId));
        return recorder;
    }

    public String runId() {
        return runId;
    }

    public Path path() {
        return lake.runPath(runId);
    }

    public synchronized void epoch(String approach, int trainSize, String stage, EpochMetrics m) {
        requireRunning();
        metrics.add(new Object[] {
            approach,
            trainSize,
            stage,
            m.epoch(),
            m.trainLoss(),
            m.trainAccuracy(),
            m.valLoss(),
            m.valAccuracy(),
            m.seconds(),
            m.imagesPerSecond()
        });
    }

    /** One approach's summary (parameters, test accuracy, wall time...); written into {@code _run.json}. */
    public synchronized void result(Map<String, Object> result) {
        requireRunning();
        results.add(new LinkedHashMap<>(result));
        writeRunFile(null);
    }

    public synchronized List<Map<String, Object>> results() {
        return List.copyOf(results);
    }

    public synchronized void complete() {
        requireRunning();
        writeMetrics();
        state = "complete";
        writeRunFile(null);
        LOG.info("run complete run_id={} results={} metric_rows={}", runId, results.size(), metrics.size());
    }

    public synchronized void fail(Throwable error) {
        if (!"running".equals(state)) {
            return;
        }
        state = "failed";
        writeRunFile(error.getClass().getSimpleName() + ": " + error.getMessage());
        LOG.warn("run failed run_id={} error={}", runId, error.toString());
    }

    private void requireRunning() {
        if (!"running".equals(state)) {
            throw new IllegalStateException("run " + runId + " is " + state + "; no more results can be recorded");
        }
    }

    private void writeMetrics() {
        Path staging = lake.newStagingPath("run-metrics");
        try {
            List<Row> rows = new ArrayList<>();
            StringBuilder csv = new StringBuilder(String.join(",", METRIC_COLUMNS)).append('\n');
            for (Object[] values : metrics) {
                rows.add(RowFactory.create(values));
                for (int i = 0; i < values.length; i++) {
                    csv.append(i == 0 ? "" : ",").append(values[i]);
                }
                csv.append('\n');
            }
            spark.createDataFrame(rows, metricsSchema())
                    .coalesce(1)
                    .write()
                    .mode(SaveMode.ErrorIfExists)
                    .parquet(new Path(staging, "metrics").toString());
            lake.publish(new Path(staging, "metrics"), new Path(path(), "metrics"));
            lake.writeTextAtomically(new Path(path(), "metrics.csv"), csv.toString());
        } finally {
            lake.deleteQuietly(staging);
        }
    }

    private static StructType metricsSchema() {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("approach", DataTypes.StringType, false));
        fields.add(DataTypes.createStructField("train_size", DataTypes.IntegerType, false));
        fields.add(DataTypes.createStructField("stage", DataTypes.StringType, false));
        fields.add(DataTypes.createStructField("epoch", DataTypes.IntegerType, false));
        for (String name : METRIC_COLUMNS.subList(4, METRIC_COLUMNS.size())) {
            fields.add(DataTypes.createStructField(name, DataTypes.DoubleType, true));
        }
        return DataTypes.createStructType(fields);
    }

    private void writeRunFile(String error) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("runId", runId);
        run.put("experiment", experiment);
        run.put("state", state);
        run.put("startedAt", startedAt);
        if (!"running".equals(state)) {
            run.put("finishedAt", Instant.now().toString());
        }
        run.put("config", config);
        run.put("results", results);
        if (error != null) {
            run.put("error", error);
        }
        try {
            lake.fs().mkdirs(path());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create run folder " + path(), e);
        }
        lake.writeTextAtomically(new Path(path(), RUN_FILE), Json.write(run));
    }
}
