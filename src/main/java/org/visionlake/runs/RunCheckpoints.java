package org.visionlake.runs;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visionlake.VisionLakeException;
import org.visionlake.lake.Json;
import org.visionlake.lake.Lake;
import org.visionlake.lake.LakeNames;

/**
 * The checkpoints of one run, in {@code _staging/checkpoints-<run id>/} of the lake: a fixed place, so that a run
 * restarted after a crash finds them although its staging folder is new. Each checkpoint is a {@code state.json}
 * (what the experiment needs to continue: epoch, rows so far...) naming model zips saved with their updater state.
 *
 * <p>Atomic by construction: models go to new files named by the checkpoint's sequence number, then
 * {@code state.json} is replaced with one rename, then the models no longer named are deleted. A crash at any point
 * leaves the previous or the new checkpoint whole.
 */
public final class RunCheckpoints {
    static final String STATE = "state.json";
    private static final Logger LOG = LoggerFactory.getLogger(RunCheckpoints.class);

    private final Lake lake;
    private final String runId;
    private final Path folder;

    /**
     * One saved checkpoint.
     *
     * @param sequence 1 for the first checkpoint of the run, then counting up
     * @param configKey hash of the settings the run was started with; a resume with other settings is refused
     * @param state what the experiment saved, as plain JSON values
     * @param models model name to file name in the checkpoint folder
     */
    public record Checkpoint(
            int sequence, String configKey, String savedAt, Map<String, Object> state, Map<String, String> models) {}

    private RunCheckpoints(Lake lake, String runId) {
        this.lake = lake;
        this.runId = runId;
        this.folder = new Path(lake.root(), "_staging/checkpoints-" + LakeNames.requireValid("run", runId));
    }

    public static RunCheckpoints of(Lake lake, String runId) {
        return new RunCheckpoints(lake, runId);
    }

    public Path folder() {
        return folder;
    }

    /** The last checkpoint, if this run has one; refuses one saved under other settings. */
    public Optional<Checkpoint> latest(String configKey) {
        Path state = new Path(folder, STATE);
        if (!lake.exists(state)) {
            return Optional.empty();
        }
        Checkpoint checkpoint = Json.read(lake.readText(state), Checkpoint.class);
        if (!checkpoint.configKey().equals(configKey)) {
            throw new VisionLakeException(String.format(
                    "run '%s' has a checkpoint (%s, saved %s) made with other settings (key %s, now %s); resume it"
                            + " with the settings it was started with, or delete %s to start it over",
                    runId, state, checkpoint.savedAt(), checkpoint.configKey(), configKey, folder));
        }
        return Optional.of(checkpoint);
    }

    /**
     * Saves a checkpoint holding {@code state} and the models of {@code changed} (with their updater state); models
     * of the previous checkpoint that are not in {@code changed} are carried over as they are.
     */
    public Checkpoint save(
            Optional<Checkpoint> previous,
            String configKey,
            Map<String, Object> state,
            Map<String, ComputationGraph> changed) {
        int sequence = previous.map(Checkpoint::sequence).orElse(0) + 1;
        Map<String, String> models =
                new LinkedHashMap<>(previous.map(Checkpoint::models).orElse(Map.of()));
        for (Map.Entry<String, ComputationGraph> entry : changed.entrySet()) {
            String file = entry.getKey() + "-" + sequence + ".zip";
            writeModel(new Path(folder, file), entry.getValue());
            models.put(entry.getKey(), file);
        }

        Checkpoint checkpoint =
                new Checkpoint(sequence, configKey, Instant.now().toString(), state, models);
        lake.writeTextAtomically(new Path(folder, STATE), Json.write(checkpoint));
        deleteUnreferenced(checkpoint);
        LOG.info("checkpoint saved: run={} sequence={} models={} folder={}", runId, sequence, models.keySet(), folder);
        return checkpoint;
    }

    /** The model {@code name} of {@code checkpoint}, with its updater state, ready to train on. */
    public ComputationGraph model(Checkpoint checkpoint, String name) {
        String file = checkpoint.models().get(name);
        if (file == null) {
            throw new IllegalStateException(
                    "checkpoint " + checkpoint.sequence() + " of run " + runId + " has no model '" + name + "'; it has "
                            + checkpoint.models().keySet());
        }
        Path source = new Path(folder, file);
        try {
            File local = Files.createTempFile("visionlake-checkpoint-", ".zip").toFile();
            try {
                lake.fs().copyToLocalFile(false, source, new Path(local.toURI()), true);
                return ModelSerializer.restoreComputationGraph(local, true);
            } finally {
                Files.deleteIfExists(local.toPath());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint model " + source, e);
        }
    }

    /** Drops the checkpoints once the run is complete. */
    public void delete() {
        lake.deleteQuietly(folder);
    }

    private void writeModel(Path target, ComputationGraph network) {
        try {
            File local = Files.createTempFile("visionlake-checkpoint-", ".zip").toFile();
            try {
                ModelSerializer.writeModel(network, local, true);
                FileSystem fs = lake.fs();
                Path temporary = new Path(folder, "." + target.getName() + ".tmp");
                fs.copyFromLocalFile(false, true, new Path(local.toURI()), temporary);
                fs.delete(target, false);
                if (!fs.rename(temporary, target)) {
                    throw new IOException("rename of " + temporary + " to " + target + " was refused");
                }
            } finally {
                Files.deleteIfExists(local.toPath());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint model " + target, e);
        }
    }

    private void deleteUnreferenced(Checkpoint checkpoint) {
        try {
            for (FileStatus status : lake.fs().listStatus(folder)) {
                String name = status.getPath().getName();
                if (name.endsWith(".zip") && !checkpoint.models().containsValue(name)) {
                    lake.fs().delete(status.getPath(), false);
                }
            }
        } catch (IOException e) {
            LOG.warn("could not delete old checkpoint models: run={} folder={} error={}", runId, folder, e.toString());
        }
    }
}
