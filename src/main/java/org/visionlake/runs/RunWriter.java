package org.visionlake.runs;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visionlake.VisionLakeException;
import org.visionlake.lake.Json;
import org.visionlake.lake.Lake;

/**
 * Writes one run of an experiment into the lake. The run's files go into a folder under {@code _staging/}; while
 * it works, {@code runs/<id>/} holds only a {@code _run.json} saying {@code running}. {@link #complete} publishes the
 * whole folder with one rename; {@link #fail} replaces the record with one saying {@code failed} and why, and drops
 * the half-written files. After either, the writer refuses further calls.
 */
public final class RunWriter {
    public static final String RECORD = "_run.json";
    public static final int FORMAT_VERSION = 1;
    private static final Logger LOG = LoggerFactory.getLogger(RunWriter.class);

    private final Lake lake;
    private final String runId;
    private final String experiment;
    private final Map<String, Object> configuration;
    private final Path staging;
    private final String startedAt;
    private final Map<String, Double> timings = new LinkedHashMap<>();
    private RunState state = RunState.RUNNING;

    private RunWriter(Lake lake, String runId, String experiment, Map<String, Object> configuration) {
        this.lake = lake;
        this.runId = runId;
        this.experiment = experiment;
        this.configuration = configuration;
        this.staging = lake.newStagingPath("run-" + runId);
        this.startedAt = Instant.now().toString();
    }

    /** Starts run {@code runId}; refuses an id that the lake already has, whatever that run's state. */
    public static RunWriter start(Lake lake, String experiment, String runId, Map<String, Object> configuration) {
        Path target = lake.runPath(runId);
        if (lake.exists(target)) {
            throw new VisionLakeException(String.format(
                    "run '%s' already exists at %s; choose another --run-id or leave it out for a fresh one",
                    runId, target));
        }
        RunWriter writer = new RunWriter(lake, runId, experiment, configuration);
        writer.publishRecordOnly(writer.record(RunState.RUNNING, null, null));
        LOG.info("run started: run={} experiment={} staging={}", runId, experiment, writer.staging);
        return writer;
    }

    /** A fresh run id: experiment, UTC time to the second and a short random suffix. */
    public static String newRunId(String experiment) {
        String time = Instant.now()
                .toString()
                .replaceAll("[-:]", "")
                .replaceAll("\\..*", "")
                .replace("T", "-");
        return experiment + "-" + time + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    public String runId() {
        return runId;
    }

    /** Where {@code relative} goes in the staged run folder. */
    public Path path(String relative) {
        requireRunning();
        return new Path(staging, relative);
    }

    public void writeText(String relative, String text) {
        lake.writeText(path(relative), text);
    }

    public void writeJson(String relative, Object value) {
        writeText(relative, Json.write(value));
    }

    /**
     * A table as {@code <name>.parquet/} (one file) and {@code <name>.csv}: Parquet for Spark jobs, CSV for people
     * and spreadsheets. The rows are few (one per epoch or layer), so they are built on the driver.
     */
    public void writeTable(SparkSession spark, String name, StructType schema, List<Row> rows) {
        Dataset<Row> table = spark.createDataFrame(rows, schema);
        table.coalesce(1)
                .write()
                .mode(SaveMode.ErrorIfExists)
                .parquet(path(name + ".parquet").toString());
        writeText(name + ".csv", Csv.format(schema, rows));
    }

    /** A trained network as a ModelSerializer zip, with its updater, written aside and renamed into place. */
    public void writeModel(String relative, ComputationGraph network) {
        Path target = path(relative);
        try {
            File local = Files.createTempFile("visionlake-model-", ".zip").toFile();
            try {
                ModelSerializer.writeModel(network, local, true);
                FileSystem fs = lake.fs();
                Path temporary = new Path(target.getParent(), "." + target.getName() + ".tmp");
                fs.copyFromLocalFile(false, true, new Path(local.toURI()), temporary);
                if (!fs.rename(temporary, target)) {
                    throw new IOException("rename of " + temporary + " to " + target + " was refused");
                }
            } finally {
                Files.deleteIfExists(local.toPath());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model " + target, e);
        }
    }

    public void timing(String phase, double seconds) {
        requireRunning();
        timings.put(phase, seconds);
    }

    /** Publishes the run folder as {@code runs/<id>} with its record saying {@code complete}. */
    public RunRecord complete(Map<String, Object> metrics) {
        requireRunning();
        List<String> files = listFiles();
        files.add(RECORD);
        files.sort(String::compareTo);
        RunRecord record = record(RunState.COMPLETE, null, metrics);
        record = new RunRecord(
                record.formatVersion(),
                record.runId(),
                record.experiment(),
                record.state(),
                null,
                record.startedAt(),
                record.finishedAt(),
                record.configuration(),
                record.timings(),
                metrics,
                files);
        lake.writeText(new Path(staging, RECORD), Json.write(record));
        lake.publish(staging, lake.runPath(runId));
        state = RunState.COMPLETE;
        LOG.info("run complete: run={} path={} files={}", runId, lake.runPath(runId), files.size());
        return record;
    }

    /**
     * Records the run as failed with {@code cause}'s message; the staged files are dropped, so nothing of the run
     * looks complete. Safe to call from a catch block: a failure to write the record is logged, not thrown.
     */
    public RunRecord fail(Throwable cause) {
        requireRunning();
        state = RunState.FAILED;
        RunRecord record = record(RunState.FAILED, describe(cause), null);
        try {
            publishRecordOnly(record);
            LOG.error("run failed: run={} error={}", runId, record.error());
        } catch (RuntimeException e) {
            LOG.error("run failed and its failure record could not be written: run={} error={}", runId, e.toString());
        } finally {
            lake.deleteQuietly(staging);
        }
        return record;
    }

    /** Reads the record of run {@code runId}; a clear error if the lake has no such run. */
    public static RunRecord read(Lake lake, String runId) {
        Path file = new Path(lake.runPath(runId), RECORD);
        if (!lake.exists(file)) {
            throw new VisionLakeException(String.format(
                    "run '%s' not found in lake %s (no %s); runs there: %s",
                    runId, lake, RECORD, lake.listComplete("runs", RECORD)));
        }
        return Json.read(lake.readText(file), RunRecord.class);
    }

    private void publishRecordOnly(RunRecord record) {
        Path folder = lake.newStagingPath("run-record-" + runId);
        lake.writeText(new Path(folder, RECORD), Json.write(record));
        lake.publish(folder, lake.runPath(runId));
    }

    private RunRecord record(RunState newState, String error, Map<String, Object> metrics) {
        String finished = newState == RunState.RUNNING ? null : Instant.now().toString();
        return new RunRecord(
                FORMAT_VERSION,
                runId,
                experiment,
                newState,
                error,
                startedAt,
                finished,
                configuration,
                new TreeMap<>(timings),
                metrics,
                null);
    }

    private List<String> listFiles() {
        List<String> files = new ArrayList<>();
        try {
            FileSystem fs = lake.fs();
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(staging, true);
            String prefix = fs.makeQualified(staging).toUri().getPath() + "/";
            while (it.hasNext()) {
                FileStatus status = it.next();
                String name = status.getPath().getName();
                if (name.startsWith(".") || name.startsWith("_")) {
                    continue;
                }
                files.add(status.getPath().toUri().getPath().substring(prefix.length()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + staging, e);
        }
        return files;
    }

    private static String describe(Throwable cause) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = cause; t != null && text.length() < 2000; t = t.getCause()) {
            text.append(text.length() == 0 ? "" : "; caused by: ")
                    .append(t.getClass().getSimpleName())
                    .append(": ")
                    .append(t.getMessage());
        }
        return text.toString();
    }

    private void requireRunning() {
        if (state != RunState.RUNNING) {
            throw new IllegalStateException("run '" + runId + "' is already " + state.json() + "; start a new run");
        }
    }
}
